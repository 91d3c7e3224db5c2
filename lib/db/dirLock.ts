/**
 * An exclusive lock on an embedded data dir: a file created with O_EXCL holding the owner's pid.
 * A lock whose pid is no longer alive is stale (the owner was killed) and is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { ConflictError } from '../errors/index.js';

export interface DirLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirLock(path: string): Promise<DirLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.sync();
      await fh.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new ConflictError(
          `the embedded database in this data dir is open in another process (pid ${owner}); ` +
            'stop it, or talk to it with --remote, or use a PostgreSQL --database-url',
          { pid: owner, lock: path },
        );
      }
      if (owner === process.pid) {
        throw new ConflictError('this data dir is already open in this process; close the other store first', { lock: path });
      }
      // Stale: the owner died without releasing. Remove and retry once.
      await unlink(path).catch(() => undefined);
    }
  }
  throw new ConflictError('could not lock the data dir', { lock: path });
}
