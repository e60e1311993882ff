import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./trial-worker.ts', import.meta.url));

/**
 * Packages left to Node: TensorFlow.js finds its .wasm files beside its own files, and piscina's
 * `workerData` must come from the very module piscina's worker bootstrap filled. All are CommonJS, and
 * each is loaded through `require` at the absolute path it resolves to from its importer (so the bundle
 * can live anywhere): importing one as ESM while CommonJS code requires it too breaks Node's loader.
 * Everything else is bundled.
 */
const EXTERNAL = /^(@tensorflow\/|piscina$)/;

const externalPackages: Plugin = {
  name: 'sweeplab-external-packages',
  setup(builder) {
    builder.onResolve({ filter: EXTERNAL }, (args) => ({
      path: createRequire(args.importer).resolve(args.path),
      namespace: 'require',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    builder.onResolve({ filter: /.*/, namespace: 'require' }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

/**
 * The trial worker as plain JavaScript, bundled once per version of its sources. Workers then load it
 * without a TypeScript loader: about 30 MB less memory and a faster start per worker. ES modules split
 * in chunks, so that TensorFlow.js stays in the chunk of the lazily imported tfjs engine: workers whose
 * trials never need it never load it. (A single CommonJS bundle held some 70 MB more heap per worker.)
 * Returns the entry's URL; the files live under the system temp folder, named by content hash.
 */
export async function bundledWorkerUrl(dir = join(tmpdir(), 'sweeplab-worker')): Promise<URL> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    splitting: true,
    outdir: 'out',
    // An ES module has no `require`: bundled CommonJS (yaml) and the externals above need one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    platform: 'node',
    target: 'node20',
    conditions: ['node'],
    write: false,
    logLevel: 'silent',
    plugins: [externalPackages],
  });
  const hash = createHash('sha256');
  for (const f of result.outputFiles) hash.update(f.path).update(f.contents);
  const target = join(dir, hash.digest('hex').slice(0, 16));
  if (!existsSync(target)) {
    // Written beside, then renamed: a concurrent run never loads half a bundle. When two runs race,
    // the loser's rename fails on the winner's folder, which holds the same bytes (same hash).
    const staging = `${target}.${process.pid}.tmp`;
    await mkdir(staging, { recursive: true });
    await Promise.all(
      result.outputFiles.map((file) => writeFile(join(staging, file.path.split('/').at(-1)!), file.contents)),
    );
    try {
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    }
  }
  return pathToFileURL(join(target, 'trial-worker.js'));
}
