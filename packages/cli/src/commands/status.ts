import { defineCommand } from '../cli/command.js';

export const status = defineCommand({
  name: 'status',
  summary: "show UMAPI's server status (build, version, state)",
  args: [],
  options: [],
  examples: [{ command: 'umapi status', description: 'is UMAPI up?' }],
  async handler(_args, ctx) {
    const client = await ctx.client();
    const result = await client.status();
    if (ctx.output.format === 'table' && typeof result === 'object' && result !== null) {
      for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
        await ctx.output.text(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      }
    } else {
      await ctx.output.json(result);
    }
    return 0;
  },
});
