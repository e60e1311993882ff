// Bundlers (Vite) resolve tfjs-core's ESM gradient files; importing only them keeps layers, the
// converter and WebGL out of the worker bundle.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
