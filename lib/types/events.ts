/** Records of the change feed and the webhooks that deliver it (0.2). Re-exported by lib/types.ts. */

export interface ChangeEvent {
  id: string;
  site: string;
  type: string;
  key?: string;
  locale?: string;
  action: string;
  versionNumber?: number;
  commit?: string;
  hlc: string;
  nodeId: string;
  createdAt: string;
  data: object;
  /** Who did it: the API key (id and name) for gateway calls, the author for SDK and git writes. */
  actor?: { keyId?: string; name?: string };
  /** What a flag move or an update changed, before and after. */
  oldValues?: object;
  newValues?: object;
}

export interface CreateWebhookInput {
  url: string;
  /** Actions to deliver; default every action. */
  events?: string[];
  /** Default: a generated one. Shown once, as whsec_<base64>. */
  secret?: string;
}

export interface UpdateWebhookInput {
  url?: string;
  events?: string[];
  /** false: re-enable (the run of failures starts again); true: stop delivering. */
  disabled?: boolean;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  /** Set after a run of failed deliveries; a disabled webhook gets no new deliveries. */
  disabled: boolean;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  /** The first 2000 characters of the answer. */
  body?: string;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  action: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus?: number;
  nextAttemptAt?: string;
  deliveredAt?: string;
  /** Every attempt, oldest first. */
  history: DeliveryAttempt[];
}
