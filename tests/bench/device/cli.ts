// The `sweeplab` CLI as the device bundle runs it: apps/cli/bin/sweeplab.js without tsx, which the
// bundle does not need (esbuild compiled the TypeScript already).
import { main, reportUncaught } from '../../../apps/cli/src/main.ts';

process.on('uncaughtException', reportUncaught);
process.on('unhandledRejection', reportUncaught);
process.exitCode = await main(process.argv.slice(2));
