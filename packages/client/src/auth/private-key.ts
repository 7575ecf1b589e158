import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ValidationError } from '../errors.js';

export interface PrivateKeySource {
  /** PEM text (PKCS#1 or PKCS#8, optionally encrypted). */
  privateKey?: string | undefined;
  /** Path of a PEM file. */
  privateKeyFile?: string | undefined;
  passphrase?: string | undefined;
}

/**
 * Reads and parses an RSA private key. Every failure is a `ValidationError` that names the file (or option) and
 * never contains the key itself.
 */
export function loadPrivateKey(source: PrivateKeySource): KeyObject {
  let pem: string;
  /** Where the key came from, as it reads after the field's name ("privateKeyFile /etc/key.pem is ..."). */
  let where: string;
  let field: string;
  if (source.privateKey !== undefined && source.privateKey !== '') {
    pem = source.privateKey;
    where = '';
    field = 'privateKey';
  } else if (source.privateKeyFile !== undefined && source.privateKeyFile !== '') {
    where = ` ${source.privateKeyFile}`;
    field = 'privateKeyFile';
    try {
      pem = readFileSync(source.privateKeyFile, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const reason = code === 'ENOENT' ? 'it does not exist' : `it could not be read (${String(code)})`;
      throw new ValidationError({
        path: field,
        rule: 'format',
        detail: `${where.trim()} cannot be used: ${reason}`,
      });
    }
  } else {
    throw new ValidationError({
      path: 'privateKey',
      rule: 'required',
      detail: 'is required: set privateKey (PEM text) or privateKeyFile (path of a PEM file)',
    });
  }
  const of = where === '' ? '' : ` in${where}`;
  if (!pem.includes('-----BEGIN')) {
    throw new ValidationError({
      path: field,
      rule: 'format',
      detail:
        `${where.trim()} is not a PEM private key: expected a "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----" block`.trim(),
    });
  }
  const isEncrypted = pem.includes('ENCRYPTED PRIVATE KEY') || pem.includes('Proc-Type: 4,ENCRYPTED');
  const passphraseNeeded = new ValidationError({
    path: 'passphrase',
    rule: 'required',
    detail: `is required: the private key${of} is encrypted`,
  });
  if (isEncrypted && (source.passphrase === undefined || source.passphrase === '')) throw passphraseNeeded;
  let key: KeyObject;
  try {
    key = createPrivateKey(
      source.passphrase === undefined
        ? { key: pem, format: 'pem' }
        : { key: pem, format: 'pem', passphrase: source.passphrase },
    );
  } catch (error) {
    const rawCode = (error as { code?: unknown }).code;
    const code = typeof rawCode === 'string' ? rawCode : '';
    const message = error instanceof Error ? error.message : '';
    if (code === 'ERR_MISSING_PASSPHRASE') throw passphraseNeeded;
    if (isEncrypted || /decrypt|passphrase/i.test(`${code} ${message}`)) {
      throw new ValidationError({
        path: 'passphrase',
        rule: 'format',
        detail: `is wrong: the private key${of} could not be decrypted`,
      });
    }
    throw new ValidationError({
      path: field,
      rule: 'format',
      detail: `${where.trim()} could not be parsed as a PKCS#1 or PKCS#8 PEM private key`.trim(),
    });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ValidationError({
      path: field,
      rule: 'format',
      detail:
        `${where.trim()} is a ${String(key.asymmetricKeyType)} key: RS256 needs an RSA private key`.trim(),
    });
  }
  return key;
}
