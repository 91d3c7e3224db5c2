/**
 * Measures the direct loose-object writer against isomorphic-git's writeObject (same bytes),
 * and one save (blob + trees + commit + ref move) on a 3-level path with fsync on.
 * Run: node --import tsx test/unit/objects/bench/writer.bench.ts [count]
 */
import fs from 'node:fs';
import { writeObject as gitWriteObject } from 'isomorphic-git';
import type { Oid } from '../../../../lib/types.js';
import { openSiteRepo } from '../../../../lib/objects/index.js';
import { ada, at, tempDir } from '../setup.js';

const count = Number(process.argv[2] ?? 300);

function bodies(seed: string): Uint8Array[] {
  // ~2 KB canonical-JSON-like documents, all distinct.
  return Array.from({ length: count }, (_, i) => new TextEncoder().encode(`{\n  "body": "${seed} ${i} ${'lorem ipsum dolor '.repeat(100)}"\n}\n`));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function perObject(label: string, write: (b: Uint8Array) => Promise<unknown>, seed: string): Promise<number> {
  const times: number[] = [];
  for (const b of bodies(seed)) {
    const t = performance.now();
    await write(b);
    times.push(performance.now() - t);
  }
  const m = median(times);
  console.log(`${label.padEnd(44)} median ${m.toFixed(3)} ms/object`);
  return m;
}

const tmp = tempDir('verso-bench-');
try {
  const dir = `${tmp.path}/bench.git`;
  const fast = openSiteRepo({ dir, fsyncEnabled: false });
  await fast.init();
  const durable = openSiteRepo({ dir });
  const iso = await perObject('isomorphic-git writeObject (no fsync)', (b) => gitWriteObject({ fs, gitdir: dir, type: 'blob', object: b, format: 'content' }), 'iso');
  const direct = await perObject('direct writer, fsync off', (b) => fast.writeBlob(b), 'direct');
  await perObject('direct writer, fsync on (file; dir deferred)', (b) => durable.writeBlob(b), 'durable');
  console.log(`isomorphic-git / direct (both without fsync): ${(iso / direct).toFixed(1)}x`);

  // One save as lib/ops does it: blob, trees on type/key/locale.ext, commit, CAS on the branch.
  for (const fsyncEnabled of [true, false]) {
    const repo = openSiteRepo({ dir, fsyncEnabled });
    let head = await repo.readRef('refs/heads/main');
    const times: number[] = [];
    const docs = bodies(`save-${fsyncEnabled}`).slice(0, Math.min(count, 200));
    for (let i = 0; i < docs.length; i++) {
      const t = performance.now();
      const blob = await repo.writeBlob(docs[i]!);
      const baseTree: Oid | undefined = head ? (await repo.readCommit(head)).tree : undefined;
      const next = await repo.writeCommit({
        parents: head ? [head] : [],
        baseTree,
        changes: [{ path: `post/doc-${i % 20}/en.json`, blob }],
        author: at(i, ada),
        message: `save ${i}\n\nVerso-Doc: post/doc-${i % 20}/en`,
      });
      const r = await repo.casRef('refs/heads/main', head, next);
      if (!r.ok) throw new Error('lost a race in a single-writer bench');
      head = next;
      times.push(performance.now() - t);
    }
    console.log(`save (blob+3 trees+commit+casRef), fsync ${fsyncEnabled ? 'on ' : 'off'}  median ${median(times).toFixed(2)} ms, p90 ${[...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(2)} ms`);
  }
} finally {
  tmp.remove();
}
