import 'uplot/dist/uPlot.min.css';

// `sweeplab serve` marks the page it serves: then it shows that server's sweep, live, instead of the
// editor and the tab's own sweep. Each view is its own chunk, loaded only when shown.
if (document.querySelector('meta[name="sweeplab-serve"]')) {
  await import('./served/served-app.ts');
  document.querySelector('sl-app')?.replaceWith(document.createElement('sl-served-app'));
} else {
  await import('./components/app.ts');
}
