export type * from './transport/types.js';
export type * from './actions/types.js';
export type * from './queries/types.js';
