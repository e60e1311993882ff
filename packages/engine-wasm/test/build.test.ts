import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

describe('the committed wasm module', () => {
  it('is byte-identical to a fresh build of native/mlp.c', () => {
    const clang = spawnSync('clang-19', ['--version']);
    const lld = spawnSync('wasm-ld-19', ['--version']);
    if (clang.error || lld.error) {
      // Never a skip: an unverified module must not pass unnoticed. CI installs clang-19 and lld-19.
      const where = process.env.CI
        ? 'CI must install them (apt-get install clang-19 lld-19)'
        : 'install them to run this check (apt-get install clang-19 lld-19)';
      throw new Error(
        `clang-19 and wasm-ld-19 are needed to rebuild the wasm module and compare it: ${where}.`,
      );
    }
    const out = mkdtempSync(join(tmpdir(), 'sweeplab-wasm-'));
    try {
      execFileSync(join(PACKAGE, 'scripts/build.sh'), {
        env: { ...process.env, OUT_DIR: out },
        stdio: 'pipe',
      });
      const rebuilt = readFileSync(join(out, 'mlp-wasm.generated.ts'), 'utf8');
      const committed = readFileSync(join(PACKAGE, 'src/mlp-wasm.generated.ts'), 'utf8');
      // On failure: run packages/engine-wasm/scripts/build.sh and commit the regenerated module.
      expect(rebuilt === committed, 'src/mlp-wasm.generated.ts is stale: run scripts/build.sh').toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
