import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from '@umapi-kit/emulator';

/**
 * Copies a fixture folder of ./fixtures/ust into `dir`, filling in the addresses only a running test knows
 * ({{UMAPI_HOST}}, {{IMS_HOST}}: the emulator; the `extra` ones, e.g. {{LDAP_URL}}) in its YAML files.
 */
export async function ustFolder(
  name: string,
  dir: string,
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<string> {
  const target = join(dir, name);
  await cp(join(import.meta.dirname, '..', 'fixtures', 'ust', name), target, { recursive: true });
  const values: Record<string, string> = {
    UMAPI_HOST: new URL(emulator.umapiUrl).origin,
    IMS_HOST: emulator.imsUrl,
    ...extra,
  };
  for (const file of await readdir(target)) {
    if (!file.endsWith('.yml')) continue;
    const text = await readFile(join(target, file), 'utf8');
    await writeFile(
      join(target, file),
      text.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => values[key] ?? whole),
    );
  }
  return target;
}
