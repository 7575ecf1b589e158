export { startEmulator } from './start-emulator.js';
export type { Emulator, EmulatorOptions } from './start-emulator.js';
export type { FaultConfig, FaultRule, FaultKind, FaultEndpoint } from './faults/fault-config.js';
export type { LimitsConfig, Budget } from './throttle/limits.js';
export type { RequestLogEntry } from './http/emulator-state.js';
export type { FetchLike } from './http/in-process-fetch.js';
export type { DemoOrg } from './store/seed-demo.js';
export type { OrgSnapshot } from './store/snapshot.js';
