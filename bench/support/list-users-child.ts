/**
 * Child process of the listing benchmark: lists every user of an emulator through the real client, then prints
 * one JSON line with the count, the time and this process's peak memory.
 * Arguments: a JSON object { umapiUrl, imsUrl, orgId, clientId, clientSecret, timeScale }.
 */
import { scaledClient, type ScaledClientOptions } from './scaled-client.js';

const options = JSON.parse(process.argv[2] ?? '{}') as ScaledClientOptions;
const client = scaledClient(options);
await client.getAccessToken();
const start = performance.now();
let count = 0;
let pages = 0;
let liveHeapMiB = 0;
// Run with --expose-gc: the live heap after a full collection is what the listing really holds.
const collect = (globalThis as { gc?: () => void }).gc;
for await (const page of client.users.list().pages()) {
  pages += 1;
  count += page.items.length;
  if (collect !== undefined && pages % 5 === 0) {
    collect();
    liveHeapMiB = Math.max(liveHeapMiB, process.memoryUsage().heapUsed / 1024 / 1024);
  }
}
const elapsedMs = performance.now() - start;
process.stdout.write(
  JSON.stringify({
    count,
    pages,
    elapsedMs,
    liveHeapMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
