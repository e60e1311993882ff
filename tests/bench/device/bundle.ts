/**
 * Bundles what the device benchmark runs (see build.sh) into one folder of plain JavaScript that needs
 * no node_modules but piscina's: the CLI, the trial worker, and the scaling driver, as ES modules in
 * shared chunks. Usage: node --import tsx tests/bench/device/bundle.ts <outdir>
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const outdir = process.argv[2];
if (!outdir) throw new Error('usage: bundle.ts <outdir>');

/**
 * Replaced modules. The worker bundle is built here, once, not by esbuild at run time (there is no
 * esbuild on the device): its URL is the trial worker beside the chunk that asks. The report's page
 * script needs esbuild too; without it a run only warns that report.html was not written.
 */
const replaced: Plugin = {
  name: 'device-replaced',
  setup(builder) {
    builder.onLoad({ filter: /packages[\\/]node[\\/]src[\\/]worker[\\/]bundle\.ts$/ }, () => ({
      contents:
        "export async function bundledWorkerUrl() { return new URL('./trial-worker.js', import.meta.url); }",
      loader: 'js',
    }));
    builder.onResolve({ filter: /^esbuild$/ }, () => ({ path: 'esbuild', namespace: 'device-stub' }));
    builder.onLoad({ filter: /.*/, namespace: 'device-stub' }, () => ({
      contents:
        "export function build() { throw new Error('the device bundle has no esbuild, so no report.html'); }",
      loader: 'js',
    }));
  },
};

/**
 * As packages/node/src/worker/bundle.ts: piscina (whose worker bootstrap loads files beside its own)
 * and TensorFlow.js stay packages, loaded through `require`, here by name so that Node finds them in
 * the folder's node_modules. TensorFlow.js is not carried: the wasm engine never loads it.
 */
const required: Plugin = {
  name: 'device-required',
  setup(builder) {
    // The `require` inside the stand-in below stays a real require (registered first: it wins).
    builder.onResolve({ filter: /.*/, namespace: 'device-require' }, (args) => ({
      path: args.path,
      external: true,
    }));
    builder.onResolve({ filter: /^(@tensorflow\/|piscina$)/ }, (args) => ({
      path: args.path,
      namespace: 'device-require',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'device-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: {
    cli: here('./cli.ts'),
    driver: here('./driver.ts'),
    'trial-worker': here('../../../packages/node/src/worker/trial-worker.ts'),
  },
  bundle: true,
  format: 'esm',
  splitting: true,
  outdir,
  // Chunks beside the entries: the replaced bundledWorkerUrl resolves the worker from its own chunk.
  chunkNames: '[name]-[hash]',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  platform: 'node',
  target: 'node20',
  conditions: ['node'],
  logLevel: 'warning',
  plugins: [replaced, required],
});
