import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@umapi-kit/emulator';

/** Copies a fixture folder of ./fixtures/ust into `dir`, pointing its connector-umapi.yml at the emulator. */
export async function ustFolder(name: string, dir: string, emulator: Emulator): Promise<string> {
  const target = join(dir, name);
  await cp(join(import.meta.dirname, '..', 'fixtures', 'ust', name), target, { recursive: true });
  const connector = join(target, 'connector-umapi.yml');
  const origin = new URL(emulator.umapiUrl).origin;
  const text = await readFile(connector, 'utf8');
  await writeFile(
    connector,
    text.replaceAll('{{UMAPI_HOST}}', origin).replaceAll('{{IMS_HOST}}', emulator.imsUrl),
  );
  return target;
}
