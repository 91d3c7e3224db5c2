/**
 * How a failure reads on a page. Status comes from the gateway's one error→status table;
 * known VersoErrors show their own message (written for callers, no secrets); anything else
 * is logged by the caller and shown generically.
 */
import { statusOf, toVersoError } from '../errors.js';

const TITLES: Record<string, string> = {
  invalid_input: 'That request was not valid',
  unauthorized: 'Please sign in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Someone else changed this first',
  too_large: 'Too large',
  rate_limited: 'Too many requests',
};

export interface PageError {
  status: number;
  title: string;
  message: string;
  /** False for unexpected failures, which the caller logs. */
  known: boolean;
}

export function pageErrorOf(err: unknown): PageError {
  const known = toVersoError(err);
  if (!known || statusOf(known.code) >= 500) {
    return { status: known ? statusOf(known.code) : 500, title: 'Something went wrong', message: 'The server could not finish this request. It has been logged.', known: false };
  }
  return { status: statusOf(known.code), title: TITLES[known.code] ?? 'That request was not valid', message: known.message, known: true };
}
