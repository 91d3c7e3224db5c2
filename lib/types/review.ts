/** Records of review (0.2): comments, semver tags, labels and preview links. Re-exported by lib/types.ts. */
import type { Author, Version, VersionRef } from '../types.js';

export interface Comment {
  id: string;
  versionNumber: number;
  body: string;
  author: Author;
  type: 'comment' | 'suggestion' | 'approval' | 'change_request';
  parentId?: string;
  anchor?: { startLine: number; endLine: number };
  createdAt: string;
  resolved: boolean;
  resolvedAt?: string;
  resolvedBy?: Author;
  /** The anchored lines (or, unanchored, the whole content) differ in the version asked about. */
  stale: boolean;
}

export interface Tag {
  name: string;
  ref: string;
  commit: string;
  versionNumber: number;
  message: string;
  /** Who tagged it (the caller). */
  tagger?: Author;
  createdAt?: string;
}

export interface Label {
  name: string;
  versionNumber: number;
  commit: string;
  movedAt: string;
  movedBy: Author;
}

export interface LabelMove {
  name: string;
  /** Absent when the label was created by this move. */
  from?: number;
  /** Absent when the label was removed by this move. */
  to?: number;
  at: string;
  by: Author;
  message: string;
}

export interface PreviewInfo {
  id: string;
  /** The pinned version; absent when the link follows the current draft. */
  versionNumber?: number;
  follows?: 'draft';
  domain?: string;
  expiresAt: string;
  maxUses?: number;
  uses: number;
  revoked: boolean;
  createdAt: string;
}

export interface PreviewOptions {
  expiresIn?: number;
  maxUses?: number;
  domain?: string;
}

export interface PreviewLink {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
}

/** The review methods of a DocHandle (0.2). */
export interface DocReview {
  comments(ref: VersionRef, opts?: { all?: boolean }): Promise<Comment[]>;
  resolveComment(id: string, opts?: { resolved?: boolean; author?: Author | string }): Promise<Comment>;
  deleteComment(id: string): Promise<void>;
  tags(): Promise<Tag[]>;
  label(name: string, ref: VersionRef, opts?: { message?: string; author?: Author | string }): Promise<Label>;
  labels(): Promise<Label[]>;
  labelHistory(name: string): Promise<LabelMove[]>;
  removeLabel(name: string, opts?: { author?: Author | string }): Promise<void>;
  previews(): Promise<PreviewInfo[]>;
  revokePreview(id: string): Promise<void>;
}

export interface PreviewView {
  site: string;
  type: string;
  key: string;
  locale: string;
  version: Version;
  content: unknown;
}

export interface CommentInput {
  body: string;
  author: Author | string;
  type?: 'comment' | 'suggestion' | 'approval' | 'change_request';
  parentId?: string;
  anchor?: { startLine: number; endLine: number };
}
