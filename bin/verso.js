#!/usr/bin/env node
// Installed entry: runs the compiled CLI; in a source checkout, `npm run verso` uses tsx instead.
import '../dist/lib/cli/main.js';
