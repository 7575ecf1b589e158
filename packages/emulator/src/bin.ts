#!/usr/bin/env node
import { rmSync } from 'node:fs';
import { CliUsageError, USAGE, parseCliArgs } from './cli/parse-cli-args.js';
import { clientFilesDirectory, writeClientFiles } from './cli/write-client-files.js';
import { startEmulator } from './start-emulator.js';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  let command;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`umapi-emulator: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (command.help) {
    print(USAGE);
    return 0;
  }
  const emulator = await startEmulator(command.options);
  const origin = new URL(emulator.imsUrl);
  const { directory, temporary } = clientFilesDirectory(command.options.db);
  let files;
  try {
    files = writeClientFiles({
      directory,
      scheme: origin.protocol === 'https:' ? 'https' : 'http',
      hostPort: origin.host,
      ...(emulator.demo === undefined ? {} : { demo: emulator.demo }),
    });
  } catch (error) {
    // Not left listening with nothing printed.
    await emulator.close();
    throw error;
  }

  print(`UMAPI base URL:       ${emulator.umapiUrl}`);
  print(`IMS base URL:         ${emulator.imsUrl}`);
  print(`Status URL:           ${emulator.statusUrl}`);
  if (emulator.demo !== undefined) {
    print(`Org id:               ${emulator.demo.orgId}`);
    print(`Client id (API key):  ${emulator.demo.clientId}`);
    print(`Client secret:        ${emulator.demo.clientSecret}`);
    print(`Technical account:    ${emulator.demo.technicalAccountId}`);
    print(`Private key (JWT):    ${files.privateKeyPath ?? ''}`);
    print(`Config file:          ${files.configPath ?? ''}`);
  }
  for (const org of emulator.orgs) {
    // Their secrets are in the --orgs file already: not printed again.
    const clients = [org.clientId, ...org.extraClients.map((client) => client.clientId)].join(', ');
    print(`Org (from --orgs):    ${org.orgId}  clients: ${clients}`);
  }
  const certPath = command.certPath ?? emulator.caCertPath;
  if (certPath !== undefined) print(`TLS certificate (CA): ${certPath}`);
  print(`Admin token:          ${emulator.adminToken}`);
  // Listen for the stop signals before saying "Ready.", so a signal sent as soon as it is read stops cleanly.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print('Ready. Press Ctrl-C to stop.');
  await stopped;
  await emulator.close();
  // The in-memory demo org (and its key) is gone: remove the files that described it.
  if (temporary) rmSync(directory, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`umapi-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
