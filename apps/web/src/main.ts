import 'uplot/dist/uPlot.min.css';
import './components/app.ts';
