export { DOCUMENTED_BUDGETS, type Budget } from './budgets.js';
export { createPacer, type Pacer, type PacerClassStats, type PacerOptions } from './pacer.js';
