/**
 * Version numbers of plain-git commits, kept in Git as notes (`refs/notes/verso`).
 *
 * A commit verso writes carries its version numbers in trailers. A commit made with plain git
 * has none, and its numbers cannot be derived from history alone: numbers are per document
 * across all branches, assigned in the order writes reach the index, interleaved with SDK
 * saves on other branches. So when the indexer first numbers a plain-git commit it records the
 * numbers (and the branch it was indexed on) in a note on that commit, inside the same index
 * transaction, before the transaction commits; reindex and every later indexing read them back.
 * `git log --notes=verso` shows them.
 *
 * The notes tree uses git's one-level fanout (`ab/cdef…`), which git reads at any size.
 */
import type { SiteRepo } from '../objects/index.js';
import { formatMessage, parseMessage, type DocTrailer } from '../trailers.js';
import type { Oid } from '../types.js';

export const NOTES_REF = 'refs/notes/verso';
const MAX_ATTEMPTS = 50;
const NOTE_SUMMARY = 'Version numbers verso gave this plain-git commit';

function notePath(commit: Oid): string {
  return `${commit.slice(0, 2)}/${commit.slice(2)}`;
}

/** The entries of the note on `commit`, or undefined when it has none. */
export async function readVersionNote(repo: SiteRepo, commit: Oid): Promise<DocTrailer[] | undefined> {
  const head = await repo.readRef(NOTES_REF);
  if (!head) return undefined;
  const blob = (await repo.readPath(head, notePath(commit))) ?? (await repo.readPath(head, commit));
  if (!blob) return undefined;
  return parseMessage(new TextDecoder().decode(await repo.readBlob(blob))).docs;
}

export function noteText(entries: DocTrailer[]): string {
  return formatMessage(NOTE_SUMMARY, entries);
}

/**
 * Writes (or replaces) the note on `commit`: a commit on refs/notes/verso moved by
 * compare-and-swap under git's ref lock, rebuilt on the new head when another writer won.
 */
export async function writeVersionNote(repo: SiteRepo, commit: Oid, entries: DocTrailer[], nowMs: number): Promise<void> {
  const blob = await repo.writeBlob(new TextEncoder().encode(noteText(entries)));
  const who = { name: 'verso', email: 'verso@localhost', timestamp: Math.floor(nowMs / 1000), timezoneOffset: 0 };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const head = await repo.readRef(NOTES_REF);
    const baseTree = head ? (await repo.readCommit(head)).tree : undefined;
    const noteCommit = await repo.writeCommit({
      parents: head ? [head] : [],
      baseTree,
      changes: [{ path: notePath(commit), blob }],
      author: who,
      message: `Notes added by verso for ${commit.slice(0, 12)}\n`,
    });
    if ((await repo.casRef(NOTES_REF, head, noteCommit)).ok) return;
  }
  throw new Error(`${NOTES_REF} kept moving; could not record the version note of ${commit}`);
}

/**
 * Records one document's number in the note of `commit`, keeping the other entries: how a
 * renumbered verso commit (two commits claimed one number) keeps its new number across reindex.
 */
export async function noteVersion(repo: SiteRepo, commit: Oid, entry: DocTrailer, nowMs: number): Promise<void> {
  const entries = ((await readVersionNote(repo, commit)) ?? []).filter((t) => t.doc !== entry.doc);
  await writeVersionNote(repo, commit, [...entries, entry].sort((a, b) => (a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : 0)), nowMs);
}
