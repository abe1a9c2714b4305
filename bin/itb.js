#!/usr/bin/env node
// The `itb` command: Node 24 runs the TypeScript sources directly (type stripping).
import { runCli } from '../src/cli/main.ts';

const code = await runCli(process.argv.slice(2));
if (code !== 0) {
  process.exit(code);
}
