import { CliError } from '../cli/cli-errors.js';
import { defineCommand } from '../cli/command.js';
import { describeError } from '../cli/error-report.js';
import { ExitCode } from '../cli/exit-codes.js';
import { createUmapiClient } from '../context/create-client.js';
import { OutputWriter } from '../output/output-writer.js';
import type { CommandContext } from '../context/command-context.js';
import { demoTasks } from '../demo/demo-tasks.js';

export const demo = defineCommand({
  name: 'demo',
  summary: "run the User Management Walkthrough's ten tasks against an embedded emulator",
  description:
    'Starts an in-memory emulator (no network) seeded with a demo organization and runs the walkthrough end to end through the real client with the JWT flow: token exchange, Adobe ID, Enterprise ID, Federated ID, update, list groups, list users, list a group, remove, and create + add to groups in one command. Each result is checked.',
  args: [],
  options: [],
  examples: [{ command: 'umapi demo', description: 'see what UMAPI does, with nothing to configure' }],
  async handler(_args, baseCtx) {
    // The walkthrough is prose: text unless a machine format was asked for explicitly.
    const ctx = baseCtx.globals.outputExplicit ? baseCtx : withTextOutput(baseCtx);
    const { startEmulator } = await import('@umapi-kit/emulator');
    const emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
    try {
      const org = emulator.demo;
      if (org === undefined) throw new CliError('the emulator did not seed the demo organization');
      const client = await createUmapiClient(
        {
          orgId: org.orgId,
          clientId: org.clientId,
          clientSecret: org.clientSecret,
          authMethod: 'jwt',
          technicalAccountId: org.technicalAccountId,
          privateKeyFile: '',
          imsUrl: emulator.imsUrl,
          umapiUrl: emulator.umapiUrl,
        },
        {
          logger: {
            error: () => {},
            warn: () => {},
            info: () => {},
            debug: (message) => {
              ctx.logger.debug(message);
            },
          },
          onRetry: (event) => {
            ctx.onRetry(event);
          },
          signal: ctx.signal,
          fetch: emulator.fetch,
          pacing: false,
          privateKeyPem: org.privateKeyPem,
        },
      );
      const tasks = demoTasks(org);
      let failed = 0;
      await ctx.output.text(
        `Embedded emulator: organization ${org.orgId}, enterprise domain ${org.enterpriseDomain}, federated domain ${org.federatedDomain}\n`,
      );
      for (const [index, task] of tasks.entries()) {
        if (ctx.signal.aborted)
          throw new CliError(`interrupted after ${index} of ${tasks.length} tasks`, {
            exitCode: ExitCode.interrupted,
          });
        let ok = true;
        let result: string;
        try {
          result = await task.run(client);
        } catch (error) {
          ok = false;
          failed++;
          result = describeError(error).message;
        }
        if (ctx.output.format === 'table') {
          await ctx.output.text(
            `${index + 1}. ${task.title}\n   purpose: ${task.purpose}\n   request: ${task.request.replace(/\n/g, '\n            ')}\n   ${ok ? 'ok' : 'FAILED'}: ${result}\n`,
          );
        } else {
          await ctx.output.json({ task: index + 1, title: task.title, request: task.request, ok, result });
        }
      }
      await ctx.output.text(
        failed === 0
          ? `All ${tasks.length} tasks behaved as the walkthrough says.`
          : `${failed} of ${tasks.length} tasks failed.`,
      );
      if (failed > 0) ctx.logger.error(`${failed} of ${tasks.length} walkthrough tasks failed`);
      return failed === 0 ? ExitCode.ok : ExitCode.failure;
    } finally {
      await emulator.close();
    }
  },
});

function withTextOutput(ctx: CommandContext): CommandContext {
  return Object.assign(Object.create(ctx) as CommandContext, {
    output: new OutputWriter(ctx.stdout, 'table'),
  });
}
