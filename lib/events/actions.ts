/**
 * The actions a change event can have. The schema checks only their shape (so several changes
 * can add actions without restating a list in every migration); this list is what a webhook
 * filter is checked against before anything is written.
 */
export const EVENT_ACTIONS: readonly string[] = [
  'site.create', 'site.update', 'version.create', 'version.publish', 'version.unpublish', 'document.archive',
  'branch.create', 'branch.delete', 'branch.merge', 'comment.create', 'preview.create', 'tag.create',
  'key.create', 'key.revoke', 'index.repair', 'webhook.create', 'webhook.delete',
  'comment.resolve', 'comment.reopen', 'comment.delete', 'label.move', 'label.remove', 'preview.revoke',
  'integration.push', 'integration.pull', 'webhook.update',
];

export function isEventAction(action: string): boolean {
  return EVENT_ACTIONS.includes(action);
}
