import { createReadStream, existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * SharedArrayBuffer (one dataset copy for every worker) exists only in a cross-origin isolated page,
 * which these two headers make. A static host of `pnpm web:build` must send them too.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const repoRoot = resolve(import.meta.dirname, '../..');
/** The dataset cache `sweeplab data fetch` fills: SWEEPLAB_DATA_DIR, else <repo>/data/cache. */
const dataDir = resolve(process.env.SWEEPLAB_DATA_DIR ?? join(repoRoot, 'data/cache'));
const require = createRequire(join(repoRoot, 'packages/engine-tfjs/package.json'));
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

const TYPES: Record<string, string> = { '.json': 'application/json', '.wasm': 'application/wasm' };

/** Serves files of `root` under `prefix`, 404 for anything missing (never the SPA fallback). */
function serveDir(prefix: string, root: string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(prefix)) return next();
    const file = normalize(join(root, decodeURIComponent(url.pathname.slice(prefix.length))));
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end(`not found: ${url.pathname}`);
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    res.setHeader('Cache-Control', 'no-cache');
    createReadStream(file).pipe(res);
  };
}

/** /datasets/ (the data cache) and /tfjs-wasm/ (tfjs-backend-wasm binaries) in dev and preview. */
function sweeplabAssets(): Plugin {
  const install = (server: { middlewares: { use: (fn: ReturnType<typeof serveDir>) => void } }) => {
    server.middlewares.use(serveDir('/datasets/', dataDir));
    server.middlewares.use(serveDir('/tfjs-wasm/', wasmDir));
  };
  let outDir = 'dist';
  return {
    name: 'sweeplab-assets',
    configureServer: install,
    configurePreviewServer: install,
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle() {
      for (const file of WASM_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `tfjs-wasm/${file}`,
          source: readFileSync(join(wasmDir, file)),
        });
      }
    },
    closeBundle() {
      // A link, not a copy: the cache is tens of megabytes. Hosts that do not follow links need a copy.
      const link = join(outDir, 'datasets');
      if (!existsSync(link) && existsSync(dataDir)) symlinkSync(dataDir, link, 'dir');
    },
  };
}

export default defineConfig({
  plugins: [sweeplabAssets()],
  server: { headers: ISOLATION_HEADERS, fs: { allow: [repoRoot] } },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  // esbuild, not Vite 8's default minifier: the default one breaks tfjs-backend-wasm's worker code
  // ("ReferenceError: e is not defined"), which tests/e2e/web-build.test.ts catches.
  build: { target: 'es2022', minify: 'esbuild' },
});
