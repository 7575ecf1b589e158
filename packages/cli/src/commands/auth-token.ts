import { defineCommand } from '../cli/command.js';

export const authToken = defineCommand({
  name: 'auth token',
  summary: 'obtain an access token (OAuth server-to-server or JWT) and print its expiry',
  description:
    'Exchanges the configured credentials for an access token. Prints only when it expires; the token itself is printed only with --show (treat it like a password).',
  args: [],
  options: [{ flags: '--show', description: 'print the access token itself on stdout' }],
  examples: [
    { command: 'umapi auth token', description: 'check that the credentials work' },
    {
      command: 'umapi --config usermanagement.config auth token',
      description: "the walkthrough's JWT exchange",
    },
    { command: 'TOKEN=$(umapi auth token --show --quiet)', description: 'use the token in another tool' },
  ],
  async handler(args, ctx) {
    const client = await ctx.client();
    const settings = await ctx.settings();
    const method =
      settings.settings.authMethod?.value === 'jwt' ? 'JWT service account' : 'OAuth server-to-server';
    const token = await client.getAccessToken();
    const expiresAt = new Date(token.expiresAt);
    const inMinutes = Math.round((expiresAt.getTime() - ctx.clock.now()) / 60_000);
    const info = {
      method,
      organization: client.orgId,
      expiresAt: expiresAt.toISOString(),
      expiresInMinutes: inMinutes,
    };
    if (args.flag('show') === true) {
      if (ctx.output.format === 'table') {
        await ctx.output.text(token.accessToken);
        ctx.logger.info(
          `token obtained with ${method}; expires ${info.expiresAt} (in ${formatMinutes(inMinutes)})`,
        );
      } else {
        await ctx.output.json({ ...info, accessToken: token.accessToken });
      }
      return 0;
    }
    if (ctx.output.format === 'table') {
      await ctx.output.text(
        `token obtained with ${method} for ${client.orgId}; expires ${info.expiresAt} (in ${formatMinutes(inMinutes)})`,
      );
    } else {
      await ctx.output.json(info);
    }
    return 0;
  },
});

function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
