// Child process for crash.test.ts: applies action requests of 5 creates each to a file database, forever,
// printing the number of committed requests after each, until it is killed.
import { executeActions } from '../../src/engine/execute-actions.js';
import { openDatabase } from '../../src/store/database.js';
import { seedDemo } from '../../src/store/seed-demo.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: crash-writer.ts <database file>');
const db = openDatabase(file);
const { orgId } = seedDemo(db);
for (let request = 0; ; request += 1) {
  const entries = Array.from({ length: 5 }, (_, entry) => {
    const email = `crash${request}-${entry}@example.com`;
    return {
      user: email,
      do: [
        { createEnterpriseID: { email, firstname: 'C', lastname: String(request), country: 'US' } },
        { add: { group: ['Designers'] } },
      ],
    };
  });
  const res = executeActions(db, orgId, JSON.stringify(entries), { testOnly: false });
  if (res.status !== 200) throw new Error(`request ${request} failed with status ${res.status}`);
  process.stdout.write(`${request + 1}\n`);
}
