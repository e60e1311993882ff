/// <reference lib="webworker" />
import { exposeTrialWorker } from '@sweeplab/web';

// The .wasm files are served at a fixed path by the Vite config (dev, preview and build).
exposeTrialWorker({ tfjsWasmPaths: `${import.meta.env.BASE_URL}tfjs-wasm/` });
