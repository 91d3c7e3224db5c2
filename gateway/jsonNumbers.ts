/**
 * JSON.parse turns `1e400` into Infinity and `9007199254740993` into another number without a
 * word, and the body parser runs it before any route sees the request. So the raw body is read
 * first: a number literal that would not come back as written refuses the request with
 * invalid_input (reason `number_not_exact`) instead of storing a different value.
 */
import type { IncomingMessage } from 'node:http';
import { checkJsonNumbers } from '../lib/schemas/storable.js';

/** express.json's `verify`: runs on the raw bytes before they are parsed. */
export function refuseInexactNumbers(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  const text = buf.toString('utf8');
  try {
    checkJsonNumbers(text, 'body');
  } catch (err) {
    // Malformed JSON is the body parser's to report (malformed_json), whatever numbers it holds.
    try {
      JSON.parse(text);
    } catch {
      return;
    }
    throw err;
  }
}
