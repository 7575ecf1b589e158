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
// Ctrl-C, and a plain `kill` (SIGTERM), stop the command the same way: it says what was done and how to finish.
const interrupt = (signal: NodeJS.Signals): void => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  // On a terminal the line holds the progress display and the echoed ^C: clear it rather than leave it.
  process.stderr.write(
    `${process.stderr.isTTY ? '\r\x1b[2K' : '\n'}interrupting (${signal}): finishing or abandoning the request in flight (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit now)\n`,
  );
  controller.abort(new Error('interrupted'));
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

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
