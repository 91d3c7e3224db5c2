/**
 * The floor: verso's own durable Git writer with no index at all, called as save calls it:
 * canonical bytes; blob, trees and commit (same trailers) in one durable batch; compare-and-swap
 * of the branch ref; every file and directory fsynced. A save minus PostgreSQL: what verso costs
 * above this is the index.
 */
import { encodeContent } from '../../lib/content.js';
import { openSiteRepo, type SiteRepo } from '../../lib/objects/index.js';
import { commitToBranch, identity } from '../../lib/ops/commitToBranch.js';
import { formatMessage } from '../../lib/trailers.js';

export interface GitFloor {
  repo: SiteRepo;
  save(path: string, content: unknown): Promise<void>;
}

export async function openGitFloor(dir: string, fsyncEnabled = true): Promise<GitFloor> {
  const repo = openSiteRepo({ dir, fsyncEnabled });
  await repo.init();
  const numbers = new Map<string, number>();
  return {
    repo,
    async save(path, content) {
      const n = (numbers.get(path) ?? 0) + 1;
      numbers.set(path, n);
      const bytes = encodeContent(content, 'json');
      const blob = repo.hashBlob(bytes);
      const message = formatMessage('Update', [{ doc: path.replace(/\.json$/, ''), kind: 'draft', source: 'user', branch: 'main', version: n }]);
      await commitToBranch({ repo, branch: 'main', create: true, changes: [{ path, blob }], blobs: [bytes], message, author: identity({ name: 'Bench' }, Date.now()) });
    },
  };
}
