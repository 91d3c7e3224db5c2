/**
 * Takes `<ref>.lock` in a bare repository the way a saver does (lockRef) and then hangs, so a
 * test can SIGKILL it while it holds the lock. args: gitdir ref
 */
import { lockRef } from '../../../lib/objects/casRef.js';
import { createContext } from '../../../lib/objects/context.js';

const [gitdir, ref] = process.argv.slice(2) as [string, string];
await lockRef(createContext({ gitdir }), ref);
process.stdout.write(JSON.stringify({ locked: ref, pid: process.pid }) + '\n');
setInterval(() => undefined, 1 << 30);
