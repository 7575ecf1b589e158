import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A server-generated request id: 32 alphanumerics, like the documented `iEUtsLiFgj3R4xsbirAyZlMyaxRTo8Xo`. */
export function generateRequestId(): string {
  let id = '';
  for (let i = 0; i < 32; i += 1) id += ALPHABET.charAt(randomInt(ALPHABET.length));
  return id;
}
