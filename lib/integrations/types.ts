/**
 * One interface over every kind of external repository. An operation (lib/ops/push.ts, pull.ts,
 * checkIntegration.ts) speaks only these terms; `github` implements them over the Git Data
 * API, `git` over the smart-HTTP protocol. Blob ids are Git's on both, so they compare.
 */
import type { Author, Oid } from '../types.js';

/** The blob at each asked path on one branch, from one tree read. */
export interface RemoteSnapshot {
  branch: string;
  /** undefined: the branch does not exist. */
  commit?: Oid;
  /** path → blob id; a path absent here is absent on the remote. */
  blobs: Map<string, Oid>;
}

export interface RemoteFile {
  path: string;
  blob: Oid;
  bytes: Uint8Array;
  /** The branch head the file was read at. */
  commit: Oid;
  /** Author of the last commit that changed the file (the head's author when unknown). */
  author: Author;
}

export interface WriteFileArgs {
  /** Target branch (pull requests are opened into it). */
  branch: string;
  path: string;
  bytes: Uint8Array;
  /** Commit message, trailers included. */
  message: string;
  author: Author;
  /**
   * The blob the pushed-to branch must hold at `path` (null: the path must be absent), checked
   * against every head the write is attempted on; undefined: no check (force).
   */
  expectBlob?: Oid | null;
  /** A head already holding these bytes is no conflict either (the blob being written). */
  alsoAccept?: Oid;
  /** github: push to this branch and open or update one pull request into `branch`. */
  pullRequest?: { head: string; title: string; body: string };
}

export interface WriteResult {
  /** The branch written to (the PR head in pull-request mode). */
  branch: string;
  commit: Oid;
  blob: Oid;
  pullRequest?: { number: number; url: string };
}

export interface IntegrationRemote {
  /** The remote's default branch (HEAD). */
  defaultBranch(): Promise<string>;
  snapshot(branch: string, paths: string[]): Promise<RemoteSnapshot>;
  /** undefined when the branch or the path does not exist. */
  readFile(branch: string, path: string): Promise<RemoteFile | undefined>;
  /**
   * One commit on the branch head that writes `bytes` at `path`. A head that moved meanwhile is
   * re-read and the commit redone on it, never overwritten.
   * @throws ConflictError when the file at the head is not `expectBlob`.
   */
  writeFile(args: WriteFileArgs): Promise<WriteResult>;
}

/** Settings of an integration as stored (secrets apart). */
export interface IntegrationConfig {
  kind: 'github' | 'git';
  repository?: string;
  baseUrl?: string;
  url?: string;
  branch?: string;
  pathTemplate: string;
  pullRequests: boolean;
  username?: string;
}

export interface IntegrationSecrets {
  token?: string;
  webhookSecret?: string;
}

/** Removes every occurrence of a secret from a text meant for a caller or a log. */
export function redact(text: string, secrets: IntegrationSecrets): string {
  let out = text;
  for (const s of [secrets.token, secrets.webhookSecret]) if (s && s.length >= 4) out = out.split(s).join('[REDACTED]');
  return out;
}
