import { createTransport } from 'nodemailer';
import type { EmailTarget } from '@umapi-kit/sync';
import { readSecret } from './read-secret.js';
import type { RunSummary } from './run-summary.js';

/** Sends the summary as a plain-text email over SMTP (TLS, STARTTLS required, or plain for a local relay). */
export async function sendEmail(
  target: EmailTarget,
  summary: RunSummary,
  options: { env: Readonly<Record<string, string | undefined>>; timeoutMs: number },
): Promise<void> {
  const auth =
    target.auth === undefined
      ? undefined
      : { user: target.auth.user, pass: await readSecret(target.auth.password, options.env, target.key) };
  const transport = createTransport({
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    requireTLS: target.security === 'starttls',
    ignoreTLS: target.security === 'none',
    ...(auth === undefined ? {} : { auth }),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  try {
    const lines = [
      summary.text,
      '',
      `org: ${summary.org}`,
      `outcome: ${summary.outcome} (exit ${String(summary.exitCode)})`,
      `host: ${summary.host}`,
      ...(summary.config === undefined ? [] : [`config: ${summary.config}`]),
      `started: ${summary.startedAt}, took ${String(summary.durationSeconds)} s`,
      `requests: ${String(summary.requests)}, retries: ${String(summary.retries)}, 429s: ${String(summary.throttled)}`,
      ...(summary.counts === undefined
        ? []
        : [
            `entries: ${Object.entries(summary.counts)
              .map(([name, count]) => `${name} ${String(count)}`)
              .join(', ')}`,
          ]),
      ...(summary.failure === undefined ? [] : [`failure: ${summary.failure}`]),
    ];
    await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: `umapi sync ${summary.outcome}: ${summary.org}`,
      text: `${lines.join('\n')}\n`,
      headers: { 'X-Umapi-Outcome': summary.outcome },
    });
  } finally {
    transport.close();
  }
}
