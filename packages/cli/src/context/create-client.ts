import { readFile } from 'node:fs/promises';
import {
  UmapiClient,
  ValidationError,
  createPacer,
  DOCUMENTED_BUDGETS,
  DOCUMENTED_GLOBAL_BUDGETS,
  oauthServerToServer,
  serviceAccountJwt,
} from '@umapi-kit/client';
import type { Budget, Credentials, PacerOptions, RetryEvent, UmapiClientOptions } from '@umapi-kit/client';
import { describeFsError } from '@umapi-kit/sync';
import { ConfigError } from '../cli/cli-errors.js';
import type { ConnectionSettings } from '../config/connection-settings.js';
import type { PooledIntegration } from '../config/credential-pool-file.js';
import type { UmapiPort } from './umapi-port.js';

export interface ClientLogger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** What the CLI passes down to the client besides the settings. */
export interface ClientHooks {
  logger: ClientLogger;
  onRetry(event: RetryEvent): void;
  signal: AbortSignal;
  fetch?: typeof fetch | undefined;
  /** Pace requests to the documented per-client budgets (default true). */
  pacing?: boolean | undefined;
  /**
   * Budgets in a minute this many times shorter (UMAPI_PACING_TIME_SCALE): only for an emulator started with the
   * same --time-scale.
   */
  pacingTimeScale?: number | undefined;
  /** More integrations of the org (--credential-pool): the client paces them as a pool. */
  pool?: readonly PooledIntegration[] | undefined;
  /** Per-request timeout (--timeout); the client's default (120 s) when undefined. */
  timeoutMs?: number | undefined;
  /** Retries after a failed request (the client's default when undefined). */
  maxRetries?: number | undefined;
  /** A private key PEM given directly (the demo) instead of read from `privateKeyFile`. */
  privateKeyPem?: string | undefined;
}

export type ClientFactory = (settings: ConnectionSettings, hooks: ClientHooks) => Promise<UmapiPort>;

/** Builds the real client from checked settings. The private key is read here, so its error names the setting. */
export const createUmapiClient: ClientFactory = async (settings, hooks) => {
  const fetchOption = hooks.fetch === undefined ? {} : { fetch: hooks.fetch };
  let credentials: Credentials;
  if (settings.authMethod === 'jwt') {
    const keyFile = settings.privateKeyFile ?? '';
    const privateKey =
      hooks.privateKeyPem ??
      (await readPrivateKey(keyFile, settings.privateKeyFileSource ?? 'private key file'));
    try {
      credentials = serviceAccountJwt({
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        orgId: settings.orgId,
        technicalAccountId: settings.technicalAccountId ?? '',
        privateKey,
        ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
        ...(settings.imsUrl === undefined ? {} : { imsUrl: settings.imsUrl }),
        ...(settings.jwtExchangePath === undefined ? {} : { exchangePath: settings.jwtExchangePath }),
        ...fetchOption,
      });
    } catch (error) {
      // The client names its own options (privateKey, passphrase); the admin set a file and a passphrase.
      if (!(error instanceof ValidationError)) throw error;
      const file = `the private key file ${keyFile} (${settings.privateKeyFileSource ?? 'private key file'})`;
      if (error.path === 'privateKey' || error.path === 'privateKeyFile') {
        throw new ConfigError(`${file} ${error.detail.replace(/^privateKey(File)?\s*/, '')}`, [
          'point priv_key_filename / UMAPI_PRIVATE_KEY_FILE at the RSA private key (PEM) of the integration',
        ]);
      }
      if (error.path === 'passphrase') {
        throw new ConfigError(`the passphrase of ${file} ${error.detail.replace(/ in .*$/, '')}`, [
          "set UMAPI_PRIVATE_KEY_PASSPHRASE (or the profile's private_key_passphrase) to the key's passphrase",
        ]);
      }
      throw error;
    }
  } else {
    credentials = oauthServerToServer({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      ...(settings.scopes === undefined ? {} : { scopes: settings.scopes }),
      ...(settings.imsUrl === undefined ? {} : { imsUrl: settings.imsUrl }),
      ...(settings.oauthTokenPath === undefined ? {} : { tokenPath: settings.oauthTokenPath }),
      ...fetchOption,
    });
  }
  const pooled = (hooks.pool ?? []).map((integration) =>
    oauthServerToServer({
      clientId: integration.clientId,
      clientSecret: integration.clientSecret,
      ...(settings.scopes === undefined ? {} : { scopes: settings.scopes }),
      ...(settings.imsUrl === undefined ? {} : { imsUrl: settings.imsUrl }),
      ...fetchOption,
    }),
  );
  const all = [credentials, ...pooled];
  if (new Set(all.map((item) => item.clientId)).size !== all.length) {
    throw new ConfigError('--credential-pool names an integration twice (or the one the command runs as)', [
      'list each other integration of the org once, each with its own client_id',
    ]);
  }
  const budgets = scaledPacing(hooks.pacingTimeScale).budgets;
  const pacing: Pick<UmapiClientOptions, 'pacing' | 'credentialPool'> =
    pooled.length === 0
      ? { pacing: hooks.pacing === false ? false : createPacer(scaledPacing(hooks.pacingTimeScale)) }
      : hooks.pacing === false
        ? { pacing: false }
        : {
            credentialPool: {
              ...(budgets === undefined ? {} : { budgets }),
              ...(hooks.pacingTimeScale === undefined || hooks.pacingTimeScale === 1
                ? {}
                : { globalBudgets: scaledGlobal(hooks.pacingTimeScale) }),
            },
          };
  const client = new UmapiClient({
    orgId: settings.orgId,
    credentials: pooled.length === 0 ? credentials : all,
    ...(settings.umapiUrl === undefined ? {} : { endpoint: settings.umapiUrl }),
    ...(settings.technicalAccounts === undefined ? {} : { technicalAccounts: settings.technicalAccounts }),
    ...fetchOption,
    logger: hooks.logger,
    signal: hooks.signal,
    onRetry: (event) => {
      hooks.onRetry(event);
    },
    ...pacing,
    ...(hooks.timeoutMs === undefined ? {} : { timeoutMs: hooks.timeoutMs }),
    ...(hooks.maxRetries === undefined ? {} : { maxRetries: hooks.maxRetries }),
    userAgent: 'umapi-cli',
  });
  return client;
};

/** The documented global budgets (all integrations of the org together), in a minute `timeScale` times shorter. */
function scaledGlobal(timeScale: number): Record<'action' | 'userRead' | 'groupRead', Budget> {
  const perMs = (budget: Budget): Budget => ({ requests: budget.requests, perMs: budget.perMs / timeScale });
  return {
    action: perMs(DOCUMENTED_GLOBAL_BUDGETS.action),
    userRead: perMs(DOCUMENTED_GLOBAL_BUDGETS.userRead),
    groupRead: perMs(DOCUMENTED_GLOBAL_BUDGETS.groupRead),
  };
}

/** The documented budgets, in a minute `timeScale` times shorter (none given: as documented). */
function scaledPacing(timeScale: number | undefined): PacerOptions {
  if (timeScale === undefined || timeScale === 1) return {};
  const perMs = (budget: Budget): Budget => ({ requests: budget.requests, perMs: budget.perMs / timeScale });
  return {
    budgets: {
      action: perMs(DOCUMENTED_BUDGETS.action),
      userRead: perMs(DOCUMENTED_BUDGETS.userRead),
      groupRead: perMs(DOCUMENTED_BUDGETS.groupRead),
    },
  };
}

async function readPrivateKey(path: string, source: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the private key file ${path} (${source}): ${describeFsError(error)}`, [
      'point priv_key_filename / UMAPI_PRIVATE_KEY_FILE at the PEM private key of the integration',
    ]);
  }
  if (!text.includes('-----BEGIN') || !text.includes('PRIVATE KEY-----')) {
    throw new ConfigError(
      `the private key file ${path} (${source}) is not a PEM private key: expected a '-----BEGIN PRIVATE KEY-----' block`,
    );
  }
  return text;
}
