#!/usr/bin/env node
// sweeplab runs from TypeScript sources: tsx compiles them on the fly (cached), so the CLI needs no
// build step after `pnpm install`.
import { register } from 'tsx/esm/api';

register();
const { main, reportUncaught } = await import('../src/main.ts');
// Errors main cannot catch still print in the CLI's format (stack traces only with --debug).
process.on('uncaughtException', reportUncaught);
process.on('unhandledRejection', reportUncaught);
process.exitCode = await main(process.argv.slice(2));
