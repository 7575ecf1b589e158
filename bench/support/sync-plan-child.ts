/**
 * Child process of the sync planning benchmark: loads the directory CSV, streams the org's users from the
 * emulator through the planner, and prints one JSON line of figures (time, CPU, peak memory).
 */
import { UmapiClient, oauthServerToServer, type User } from '@umapi-kit/client';
import { CsvSource, defaultRules, loadDirectory, planFromStream } from '@umapi-kit/sync';

interface Input {
  umapiUrl: string;
  imsUrl: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  csvPath: string;
  groups: string[];
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
const cpuStart = process.cpuUsage();
const loadStart = performance.now();
const directory = await loadDirectory(new CsvSource({ path: input.csvPath }));
const loadMs = performance.now() - loadStart;

const client = new UmapiClient({
  orgId: input.orgId,
  endpoint: input.umapiUrl,
  credentials: oauthServerToServer({
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    imsUrl: input.imsUrl,
  }),
  pacing: false,
});
await client.getAccessToken();
let adobeUsers = 0;
async function* counted(): AsyncIterable<User> {
  for await (const user of client.users.list({ concurrency: 4 })) {
    adobeUsers += 1;
    yield user;
  }
}
const rules = defaultRules({
  groups: input.groups.map((group) => ({ directoryGroup: group, adobeGroups: [group] })),
  updateUserInfo: true,
  adobeOnlyUserAction: 'remove',
  maxDeletions: { percent: 5 },
});
const planStart = performance.now();
const plan = await planFromStream(directory.users, counted(), rules);
const planMs = performance.now() - planStart;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  JSON.stringify({
    directoryUsers: directory.users.length,
    adobeUsers,
    entries: plan.entries.length,
    loadMs,
    planMs,
    planCpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
