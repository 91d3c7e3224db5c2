/**
 * The name an editor signs in with becomes the author of their rollbacks, so it must be an
 * author verso accepts. `Ann <ann@example.com>` (what git prints) is taken apart into name and
 * email; anything else an author name cannot hold is refused at sign-in, with a message, instead
 * of making every later rollback fail.
 */
import { parseAuthor } from '../../lib/ops/inputs.js';

const NAME_AND_EMAIL = /^([^<>]*?)\s*<([^<>]*)>$/;

export function parseSignInName(raw: string): { name: string; email?: string } | { error: string } {
  const text = raw.trim();
  if (!text) return { name: '' };
  const m = NAME_AND_EMAIL.exec(text);
  try {
    if (m) {
      const name = m[1]!.trim();
      const email = m[2]!.trim();
      return parseAuthor(name ? { name, email } : { name: email.split('@')[0] || 'editor', email });
    }
    return parseAuthor(text);
  } catch {
    return { error: 'Write your name as “Ann Smith” or “Ann Smith <ann@example.com>” (no other < or >, no control characters).' };
  }
}
