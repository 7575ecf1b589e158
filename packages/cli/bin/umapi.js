#!/usr/bin/env node
// Runs the built CLI; `npm run build` (or `npm test`, `npm run demo`) produces dist/.
import '../dist/bin.js';
