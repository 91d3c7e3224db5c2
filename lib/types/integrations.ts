/**
 * Integrations (0.2): documents pushed to and pulled from external repositories. The records,
 * and this feature's methods of DocHandle and SiteHandle, added to those interfaces (declaration
 * merging) so that they stay together. Re-exported by lib/types.ts.
 */
import type { Author, VersionRef } from '../types.js';

export interface CreateIntegrationInput {
  name: string;
  kind: 'github' | 'git';
  /** github: 'owner/name' */
  repository?: string;
  /** github: API base (GitHub Enterprise Server); default https://api.github.com */
  baseUrl?: string;
  /** git: http(s) URL of any Git remote (smart HTTP) */
  url?: string;
  /** Target branch; default the remote's default branch. */
  branch?: string;
  /** Default '{type}/{key}/{locale}.{ext}', e.g. 'docs/prd/{key}.md'. */
  pathTemplate?: string;
  /** github: push to 'verso/<type>/<key>/<locale>' and open or update one PR into branch. */
  pullRequests?: boolean;
  username?: string;
  /** Stored encrypted (AES-256-GCM), never returned. */
  token?: string;
  /** github: the secret of the repository's webhook (`POST /v1/integrations/github/webhook`); stored encrypted. */
  webhookSecret?: string;
}

export interface Integration {
  name: string;
  kind: 'github' | 'git';
  repository?: string;
  url?: string;
  baseUrl?: string;
  branch?: string;
  pathTemplate: string;
  pullRequests: boolean;
  hasToken: boolean;
  hasWebhookSecret: boolean;
  createdAt: string;
}

export type MappingStatus = 'in_sync' | 'local_ahead' | 'remote_changed' | 'diverged' | 'missing';

export interface Mapping {
  integration: string;
  /** 'type/key/locale' */
  doc: string;
  path: string;
  /** The branch of the remote the file lives on (the PR branch in pull-request mode). */
  branch: string;
  versionNumber: number;
  localCommit: string;
  blob: string;
  remoteCommit: string;
  remoteBlob: string;
  pushedAt: string;
  pullRequest?: { number: number; url: string };
  status: MappingStatus;
}

export interface PushOptions {
  /** Default 'published', else 'draft'. */
  ref?: VersionRef;
  message?: string;
  author?: Author | string;
  force?: boolean;
}

export interface PullOptions {
  message?: string;
  author?: Author | string;
}

export interface CheckIntegrationOptions {
  /** Called as each remote branch has been read (embedded); once at the end (remote). */
  onProgress?: (p: { done: number; total: number }) => void;
}

/** Rotating credentials: a new token, webhook secret or user name (other settings are fixed). */
export interface UpdateIntegrationInput {
  username?: string;
  token?: string;
  webhookSecret?: string;
}

declare module '../types.js' {
  interface DocHandle {
    push(integration: string, opts?: PushOptions): Promise<Mapping>;
    pull(integration: string, opts?: PullOptions): Promise<Version>;
    mappings(): Promise<Mapping[]>;
  }

  interface SiteHandle {
    createIntegration(input: CreateIntegrationInput): Promise<Integration>;
    integrations(): Promise<Integration[]>;
    deleteIntegration(name: string): Promise<void>;
    checkIntegration(name: string, opts?: CheckIntegrationOptions): Promise<Mapping[]>;
    updateIntegration(name: string, input: UpdateIntegrationInput): Promise<Integration>;
  }
}
