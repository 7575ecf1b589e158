import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadUstConfig, migrateUstConfig, parseSyncConfig, type SyncConfig } from '../../src/index.js';

/** `sync migrate`: the native file it writes reads back as the same configuration, with a comment per key. */
let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-migrate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixtures = join(import.meta.dirname, '../../../cli/test/fixtures/ust');

/** The parts of a configuration both readers produce (the UST one adds no fingerprint of the same text). */
function comparable(config: SyncConfig): unknown {
  const { rules } = config;
  return {
    source: config.source,
    adobeOnlyUserList: config.adobeOnlyUserList,
    rules: {
      ...rules,
      adobeUsers: rules.adobeUsers ?? { kind: 'all' },
      excludeUsers: rules.excludeUsers.map((pattern) => pattern.source),
      additionalGroups: rules.additionalGroups?.map((rule) => [rule.source.source, rule.target]),
      directorySelection: {
        ...rules.directorySelection,
        userFilter: rules.directorySelection?.userFilter?.source,
      },
    },
  };
}

describe('migrateUstConfig', () => {
  for (const name of ['csv', 'ldap']) {
    it(`the ${name} folder: the native file means the same, says where each key came from, and holds no secret`, async () => {
      await cp(join(fixtures, name), join(dir, name), { recursive: true });
      const main = join(dir, name, 'user-sync-config.yml');
      const connector = join(dir, name, 'connector-umapi.yml');
      const text = await readFile(connector, 'utf8');
      await writeFile(
        connector,
        text
          .replaceAll('{{UMAPI_HOST}}', 'http://127.0.0.1:1')
          .replaceAll('{{IMS_HOST}}', 'http://127.0.0.1:1'),
      );
      const ldap = join(dir, name, 'connector-ldap.yml');
      if (name === 'ldap')
        await writeFile(ldap, (await readFile(ldap, 'utf8')).replace('{{LDAP_URL}}', 'ldap://127.0.0.1:1'));
      const ust = await loadUstConfig(main, { cwd: dir, env: {}, resolveSecrets: false });
      const out = join(dir, 'migrated', 'sync.yml');
      const migration = await migrateUstConfig(ust, out);
      expect(migration.text).toMatch(/# from user-sync-config\.yml:\d+ directory_users\.groups\n {2}groups:/);
      expect(migration.text).toMatch(/# from user-sync-config\.yml:\d+ limits\.max_adobe_only_users\n/);
      expect(migration.text).not.toContain('p8e-emulator-demo-secret');
      const native = parseSyncConfig(migration.text, out);
      const expected = comparable(ust.sync) as { source: { kind: string; options: { password?: unknown } } };
      if (name === 'ldap') {
        // The keyring-held password becomes the variable that gives it.
        expect(native.source.kind === 'ldap' && native.source.options.password).toEqual({
          env: 'UMAPI_KEYRING_UST_LDAP_PASSWORD',
        });
        expected.source.options.password = { env: 'UMAPI_KEYRING_UST_LDAP_PASSWORD' };
        expect(migration.todo.join('\n')).toContain('secure_password_key: ust_ldap_password');
      }
      expect(comparable(native)).toEqual(expected);
    });
  }
});
