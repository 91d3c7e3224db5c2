/**
 * The `verso` executable: `bin/verso.js` imports the compiled copy of this file, and
 * `npm run verso -- <args>` / `npm start` run it through tsx.
 */
import { processIo } from './io.js';
import { run } from './program.js';

const code = await run(process.argv, processIo());
process.exitCode = code;
// The store is closed by now; should a library leave a handle open (a pool, a timer), do not
// hang the shell. An unref'd timer fires only if something else keeps the process alive.
setTimeout(() => process.exit(code), 2000).unref();
