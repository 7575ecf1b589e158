import type { WebhookTarget } from '@umapi-kit/sync';
import { readSecret } from './read-secret.js';
import type { RunSummary } from './run-summary.js';

/**
 * POSTs the summary as JSON: `text` is what Slack's and Teams' incoming webhooks show, the other fields are
 * for programs. Anything but a 2xx answer within the timeout is an error.
 */
export async function sendWebhook(
  target: WebhookTarget,
  summary: RunSummary,
  options: { env: Readonly<Record<string, string | undefined>>; timeoutMs: number; fetch?: typeof fetch },
): Promise<void> {
  const url =
    typeof target.url === 'string' ? target.url : await readSecret(target.url, options.env, target.key);
  const send = options.fetch ?? fetch;
  const response = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'umapi-cli' },
    body: JSON.stringify({ ...summary, kind: 'umapi-sync-run' }),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the webhook answered HTTP ${String(response.status)}`);
}
