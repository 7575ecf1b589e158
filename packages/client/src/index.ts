export type * from './transport/types.js';
export * from './errors.js';
export * from './actions/index.js';
export * from './queries/index.js';
export * from './pacing/index.js';
