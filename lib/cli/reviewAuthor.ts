/** Who a review command acts as: --author/--email, else the OS user (as git falls back to it). */
import { userInfo } from 'node:os';
import type { Author } from '../types.js';
import { authorFrom } from './versions.js';

export function callerFrom(opts: { author?: string; email?: string }): Author {
  const given = authorFrom(opts);
  if (given) return given;
  let name = '';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid): fall through
  }
  return { name: name || 'verso-cli' };
}
