import type { Db } from './database.js';
import { statement } from './statement-cache.js';

export interface Integration {
  clientId: string;
  clientSecret: string;
  orgId: string;
  technicalAccountId: string;
  publicKeyPem: string;
}

interface IntegrationRow {
  client_id: string;
  client_secret: string;
  org_id: string;
  technical_account_id: string;
  public_key_pem: string;
}

export function createIntegration(db: Db, integration: Integration): void {
  statement(
    db,
    `INSERT INTO integrations (client_id, client_secret, org_id, technical_account_id, public_key_pem)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(
    integration.clientId,
    integration.clientSecret,
    integration.orgId,
    integration.technicalAccountId,
    integration.publicKeyPem,
  );
}

export function findIntegration(db: Db, clientId: string): Integration | undefined {
  const row = statement(db, 'SELECT * FROM integrations WHERE client_id = ?').get(clientId) as
    IntegrationRow | undefined;
  if (row === undefined) return undefined;
  return {
    clientId: row.client_id,
    clientSecret: row.client_secret,
    orgId: row.org_id,
    technicalAccountId: row.technical_account_id,
    publicKeyPem: row.public_key_pem,
  };
}

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

export function orgExists(db: Db, orgId: string): boolean {
  return statement(db, 'SELECT 1 FROM orgs WHERE id = ?').get(orgId) !== undefined;
}
