import { execFile } from 'node:child_process';

/** Looks a secret up in the OS keyring: the value, or why it could not be read (never the value in a message). */
export type KeyringLookup = (
  service: string,
  username: string,
) => Promise<{ value: string } | { unavailable: string }>;

/**
 * The User Sync Tool keeps `secure_*_key` secrets with Python's `keyring`, whose Linux backend stores them in the
 * Secret Service under the attributes `service` (the key's name) and `username` (the org id for UMAPI, the bind
 * user for LDAP). `secret-tool lookup` (libsecret) reads that entry. Without it, or without a running keyring,
 * the caller says how to give the secret another way.
 */
export const secretToolLookup: KeyringLookup = (service, username) =>
  new Promise((resolve) => {
    execFile(
      'secret-tool',
      ['lookup', 'service', service, 'username', username],
      { timeout: 10_000, maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error !== null) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            resolve({ unavailable: 'secret-tool (libsecret) is not installed' });
          } else if (typeof error.code === 'number' && error.code === 1 && stdout === '') {
            resolve({
              unavailable: `the keyring holds no entry for service "${service}", user "${username}"`,
            });
          } else {
            resolve({ unavailable: 'secret-tool could not reach a keyring (no Secret Service running?)' });
          }
          return;
        }
        const value = stdout.replace(/\r?\n$/, '');
        if (value === '') resolve({ unavailable: `the keyring entry for service "${service}" is empty` });
        else resolve({ value });
      },
    );
  });
