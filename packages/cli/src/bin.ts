#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';
import { terminalPrompter } from './context/prompter.js';

// A closed pipe (`umapi users list | head`) ends the output quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(
    '\ninterrupting: finishing or abandoning the request in flight (Ctrl-C again to quit now)\n',
  );
  controller.abort(new Error('interrupted'));
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  prompter: terminalPrompter(process.stdin, process.stderr),
});
process.exitCode = code;
