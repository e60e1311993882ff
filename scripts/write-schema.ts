/**
 * `pnpm schema`: writes the sweep file's JSON Schema to schema/sweep.schema.json from the zod schema in
 * packages/core. The file is committed (editors point at it); a core test fails when it is out of date.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SWEEP_SCHEMA_PATH, sweepJsonSchema } from '@sweeplab/core';

const root = join(import.meta.dirname, '..');
const path = join(root, SWEEP_SCHEMA_PATH);
writeFileSync(path, `${JSON.stringify(sweepJsonSchema(), null, 2)}\n`);
// Committed files pass `biome check`: let biome lay the JSON out its own way.
execFileSync('pnpm', ['exec', 'biome', 'format', '--write', path], { cwd: root, stdio: 'inherit' });
process.stdout.write(`wrote ${SWEEP_SCHEMA_PATH}\n`);
