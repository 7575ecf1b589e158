/**
 * Runs the built `umapi-emulator` in its own process, as an admin would, so that the emulator's work never
 * delays the client's timers in a benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface EmulatorProcess {
  umapiUrl: string;
  imsUrl: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  adminToken: string;
  /** GET an admin endpoint (`/_emulator/...`) as JSON. */
  admin<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../packages/emulator/dist/bin.js', import.meta.url));

const FIELDS: Record<string, keyof Omit<EmulatorProcess, 'admin' | 'stop'>> = {
  'UMAPI base URL': 'umapiUrl',
  'IMS base URL': 'imsUrl',
  'Org id': 'orgId',
  'Client id (API key)': 'clientId',
  'Client secret': 'clientSecret',
  'Admin token': 'adminToken',
};

export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, '--port', '0', '--seed', 'demo', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const found: Partial<Record<string, string>> = {};
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`umapi-emulator exited with ${String(code)} before it was ready`));
    });
    lines.on('line', (line) => {
      const match = /^([^:]+(?:\([^)]*\))?):\s+(.*)$/.exec(line);
      const key = match?.[1]?.trim();
      if (key !== undefined && key in FIELDS) found[FIELDS[key]!] = match![2]!.trim();
      if (line.startsWith('Ready')) resolve();
    });
  });
  const get = (key: keyof typeof found): string => {
    const value = found[key];
    if (value === undefined) throw new Error(`umapi-emulator did not print ${key}`);
    return value;
  };
  const adminToken = get('adminToken');
  const imsUrl = get('imsUrl');
  return {
    umapiUrl: get('umapiUrl'),
    imsUrl,
    orgId: get('orgId'),
    clientId: get('clientId'),
    clientSecret: get('clientSecret'),
    adminToken,
    async admin<T>(path: string): Promise<T> {
      const response = await fetch(`${imsUrl}${path}`, {
        headers: { Authorization: `Bearer ${adminToken}` },
      });
      return (await response.json()) as T;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
