import type { Db } from './database.js';
import { statement } from './statement-cache.js';

// Access tokens IMS issued: whose they are and when they expire.

export function saveToken(
  db: Db,
  token: { accessToken: string; clientId: string; orgId: string; expiresAt: number },
): void {
  statement(
    db,
    'INSERT OR REPLACE INTO tokens (access_token, client_id, org_id, expires_at) VALUES (?, ?, ?, ?)',
  ).run(token.accessToken, token.clientId, token.orgId, token.expiresAt);
}

export function findToken(
  db: Db,
  accessToken: string,
): { clientId: string; orgId: string; expiresAt: number } | undefined {
  const row = statement(db, 'SELECT client_id, org_id, expires_at FROM tokens WHERE access_token = ?').get(
    accessToken,
  ) as { client_id: string; org_id: string; expires_at: number } | undefined;
  if (row === undefined) return undefined;
  return { clientId: row.client_id, orgId: row.org_id, expiresAt: row.expires_at };
}
