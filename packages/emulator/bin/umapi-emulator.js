#!/usr/bin/env node
// Runs the built emulator; `npm run build` (or `npm test`, `npm run demo`) produces dist/.
import '../dist/bin.js';
