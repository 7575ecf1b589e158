import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./org-lock-worker.mjs', import.meta.url));

/** A child process that takes and frees an org lock when told (see org-lock-worker.mjs). */
export class LockWorker {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  readonly #waiting: ((line: string) => void)[] = [];
  readonly #exited: Promise<void>;

  private constructor(directory: string, orgId: string) {
    this.child = spawn(process.execPath, [WORKER, directory, orgId], { stdio: 'pipe' });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter(line);
      else this.#lines.push(line);
    });
    this.#exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        for (const waiter of this.#waiting.splice(0))
          waiter(`exited ${String(code ?? signal)}: ${stderr.trim()}`);
        resolve();
      });
    });
  }

  static async start(directory: string, orgId: string): Promise<LockWorker> {
    const worker = new LockWorker(directory, orgId);
    const first = await worker.next();
    if (first !== 'ready') throw new Error(`lock worker did not start: ${first}`);
    return worker;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  next(): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  send(command: 'try' | 'release'): void {
    this.child.stdin.write(`${command}\n`);
  }

  /** `kill -9`: the process ends holding whatever it holds. */
  async crash(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.#exited;
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    await this.#exited;
  }
}
