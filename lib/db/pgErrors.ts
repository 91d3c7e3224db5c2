/**
 * Recognises PostgreSQL (pg and PGlite) and connection errors in one place, and translates
 * them into the errors a caller may see: a constraint the application did not check first is
 * a conflict or invalid input, a database that cannot be reached is `unavailable`.
 */
import { ConflictError, UnavailableError, ValidationError, VersoError } from '../errors/index.js';

export function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isUniqueViolation = (err: unknown): boolean => pgCode(err) === '23505';
export const isForeignKeyViolation = (err: unknown): boolean => pgCode(err) === '23503';

// SQLSTATEs of input PostgreSQL refused (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const INVALID_INPUT = new Set([
  '23502', // not_null_violation
  '23514', // check_violation
  '22P02', // invalid_text_representation
  '22021', // character_not_in_repertoire (a NUL in text)
  '22P05', // untranslatable_character (\u0000 in jsonb)
  '22001', // string_data_right_truncation
  '22003', // numeric_value_out_of_range
  '22007', // invalid_datetime_format
  '22008', // datetime_field_overflow
  '22023', // invalid_parameter_value
  '54001', // statement_too_complex (stack depth)
]);
// Class 08 (connection exception), 53 (insufficient resources: disk full, out of memory,
// too many connections), 57P01-57P03 (the server is shutting down or starting).
const UNAVAILABLE_PREFIXES = ['08', '53', '57P0'];
// Socket-level failures reaching a PostgreSQL server, and a full disk.
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENOSPC', 'EDQUOT']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'Knex: Timeout acquiring a connection',
  'timeout exceeded when trying to connect',
];

/**
 * The caller-facing error for `err`, or undefined when it is not a database or resource
 * failure this function knows (the caller then treats it as internal). `cause` keeps the
 * original for logs; messages never carry SQL.
 */
export function translateDbError(err: unknown): VersoError | undefined {
  if (err instanceof VersoError) return err;
  const code = pgCode(err);
  if (code === '23505') return new ConflictError('a record with this name or id already exists', { reason: 'unique_violation' }, err);
  if (code === '23503') return new ConflictError('a record this one refers to was removed meanwhile', { reason: 'foreign_key_violation' }, err);
  if (code === '40001' || code === '40P01') return new UnavailableError('the database aborted the transaction (serialization or deadlock); retry', { reason: 'transaction_aborted', retryAfterSeconds: 1 }, err);
  if (code && INVALID_INPUT.has(code)) return new ValidationError('the database refused a value of the input', { reason: 'database_refused' }, err);
  if (code && UNAVAILABLE_ERRNO.has(code)) {
    const reason = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk_full' : 'database_unreachable';
    return new UnavailableError(reason === 'disk_full' ? 'the disk is full' : 'the database cannot be reached', { reason }, err);
  }
  if (code && UNAVAILABLE_PREFIXES.some((p) => code.startsWith(p))) {
    return new UnavailableError('the database is not accepting work right now', { reason: code === '53100' ? 'disk_full' : 'database_unavailable' }, err);
  }
  const message = err instanceof Error ? err.message : '';
  if (CONNECTION_MESSAGES.some((m) => message.includes(m))) return new UnavailableError('the database cannot be reached', { reason: 'database_unreachable' }, err);
  return undefined;
}
