import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/**
 * Waits until a server the test started listens on 127.0.0.1:`port`; throws, with the server's log, when the
 * process exits first or `withinMs` pass.
 */
export async function waitForPort(
  port: number,
  child: ChildProcess,
  what: { name: string; log: () => string; withinMs: number; everyMs: number },
): Promise<void> {
  const deadline = Date.now() + what.withinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${what.name} exited with ${String(child.exitCode)}: ${what.log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, what.everyMs));
  }
  throw new Error(
    `${what.name} did not listen on 127.0.0.1:${String(port)} within ${String(what.withinMs / 1000)} s: ${what.log()}`,
  );
}
