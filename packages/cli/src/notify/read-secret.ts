import { readFile } from 'node:fs/promises';
import { describeFsError, type SecretReference } from '@umapi-kit/sync';

/** Reads a secret an alert needs (SMTP password, webhook URL) from its variable or file; says what is missing. */
export async function readSecret(
  reference: SecretReference,
  env: Readonly<Record<string, string | undefined>>,
  key: string,
): Promise<string> {
  if ('env' in reference) {
    const value = env[reference.env];
    if (value === undefined || value === '') {
      throw new Error(`${key}: the environment variable ${reference.env} is not set`);
    }
    return value;
  }
  try {
    return (await readFile(reference.file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`${key}: cannot read ${reference.file}: ${describeFsError(error)}`);
  }
}
