/**
 * Sync planning at 1,000,000 directory users against 1,000,000 Adobe users: the sync-plan bench at that size,
 * against issue 17's limits (under 30 s of CPU, under 1 GiB of memory).
 */
process.env['BENCH_SYNC_USERS'] = '1000000';
await import('./sync-plan.bench.js');
