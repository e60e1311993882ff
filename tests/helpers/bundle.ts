import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * Bundles a TypeScript module for a Node worker thread into one ES module under the temp folder and
 * returns its URL. Workers then start without a TypeScript loader: a replacement worker is up in a
 * fraction of a second, which keeps executor tests' short hang timeouts about hangs only. esbuild is a
 * dependency of packages/node (its worker bundle), so it is resolved from there.
 */
export async function bundleForNode(entry: string): Promise<URL> {
  const require = createRequire(join(repoRoot, 'packages/node/package.json'));
  const { build } = require('esbuild') as {
    build(options: object): Promise<{ outputFiles: { text: string }[] }>;
  };
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'sweeplab-test-bundles');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${basename(entry).replace(/\.ts$/, '')}-${hash}.mjs`);
  // Named by content and renamed into place: parallel test files never read a half-written bundle.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, code);
  await rename(temp, file);
  return pathToFileURL(file);
}
