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

/** How many integrations (each with its technical account) are registered for the org. */
export function countIntegrations(db: Db, orgId: string): number {
  return statement(db, 'SELECT COUNT(*) FROM integrations WHERE org_id = ?').pluck().get(orgId) as number;
}

export function setIntegrationPublicKey(db: Db, clientId: string, publicKeyPem: string): void {
  statement(db, 'UPDATE integrations SET public_key_pem = ? WHERE client_id = ?').run(publicKeyPem, clientId);
}
