#!/usr/bin/env node
// The `itb` command. Node 24 runs the TypeScript sources directly (type stripping), so an older
// node cannot even load them: it hands over to the Node 24 that `npm install` puts in
// node_modules (the `node` package in package.json), or says in one line what is needed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDED_MAJOR = 24;

if (Number(process.versions.node.split('.')[0]) < NEEDED_MAJOR) {
  const self = fileURLToPath(import.meta.url);
  const pinned = join(dirname(self), '..', 'node_modules', '.bin', 'node');
  // ITB_NODE_HANDOVER stops a loop should the pinned node itself be older.
  if (!existsSync(pinned) || process.env.ITB_NODE_HANDOVER === '1') {
    console.error(
      `itb needs Node.js ${String(NEEDED_MAJOR)} or later, and this is ${process.version}: run \`npm install\` in the project (it puts Node.js ${String(NEEDED_MAJOR)} in node_modules unless install scripts are turned off), or install Node.js ${String(NEEDED_MAJOR)} LTS (\`nvm install\` reads .nvmrc).`,
    );
    process.exit(1);
  }
  const child = spawn(pinned, [self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ITB_NODE_HANDOVER: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, as a shell expects of a command killed by one.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
} else {
  const { runCli } = await import('../src/cli/main.ts');
  const code = await runCli(process.argv.slice(2));
  if (code !== 0) {
    process.exit(code);
  }
}
