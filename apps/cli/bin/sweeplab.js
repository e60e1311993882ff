#!/usr/bin/env node
// sweeplab runs from TypeScript sources: tsx compiles them on the fly (cached), so the CLI needs no
// build step after `pnpm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
