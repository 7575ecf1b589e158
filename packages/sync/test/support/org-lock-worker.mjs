// A process that contends for an org lock on command, for the lock tests (which need real processes: the lock is
// a kernel lock, held per process). Reads lines from stdin: `try` takes the lock (answers `got` or `refused
// <message>`), `release` frees it (answers `released`). Started with the lock folder and org id as arguments;
// prints `ready` once loaded. Runs on the built package (dist), like the other end-to-end tests.
import process from 'node:process';
import { createInterface } from 'node:readline';
import { OrgLock } from '../../dist/state/locks.js';

const [directory, orgId] = process.argv.slice(2);
let lock;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'try') {
    try {
      lock = OrgLock.acquire(directory, orgId, `/journals/${String(process.pid)}.db`);
      process.stdout.write('got\n');
    } catch (error) {
      process.stdout.write(`refused ${error.message}\n`);
    }
  } else if (line === 'release') {
    lock?.release();
    lock = undefined;
    process.stdout.write('released\n');
  }
});
lines.on('close', () => process.exit(0));
process.stdout.write('ready\n');
