/**
 * The ONE table from error code to HTTP status, and the handlers that answer every failure in
 * the contract shape `{ "error": { "code", "message", "details" } }`. Unexpected errors are
 * logged with their stack and answered as `internal` with no detail, so SQL, paths or tokens
 * never reach a caller.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DEFAULT_RETRY_AFTER_SECONDS, ERROR_CODES, ERROR_CODE_NAMES, NotFoundError, TooLargeError, ValidationError, VersoError, errorCodeRow, statusOfCode } from '../lib/errors/index.js';

/** Error code → HTTP status, read from the one table (lib/errors/codes.ts). Anything not listed is a 500 answered as `internal`. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(ERROR_CODE_NAMES.map((code) => [code, ERROR_CODES[code].status])),
);

export function statusOf(code: string): number {
  return statusOfCode(code);
}

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** Errors raised by Express and body-parser (http-errors) carry `status` and `type`. */
interface HttpLibError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

/**
 * Turns anything thrown into a VersoError a caller may see: library errors from the body
 * parser and router are translated here, where they enter; anything else becomes undefined
 * (an internal error).
 */
export function toVersoError(err: unknown): VersoError | undefined {
  if (err instanceof VersoError) return err;
  if (!err || typeof err !== 'object') return undefined;
  const e = err as HttpLibError;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return new ValidationError('request body is not valid JSON', { reason: 'malformed_json' });
    case 'entity.too.large':
      return new TooLargeError('request body is larger than the limit', {
        limit: (err as { limit?: unknown }).limit ?? null,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ValidationError('request body encoding is not supported; send UTF-8 JSON', {});
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ValidationError('request body could not be read', {});
    default:
      break;
  }
  // The router could not percent-decode a path segment.
  if (err instanceof URIError) return new ValidationError('the path is not valid percent-encoding', {});
  if (status === 404) return new NotFoundError('not found', {});
  if (status === 413) return new TooLargeError('request is larger than the limit', {});
  // Other client errors from Express's own layers say so (`expose`) and carry a safe message.
  if (status !== undefined && status >= 400 && status < 500 && e.expose === true) {
    return new ValidationError(typeof e.message === 'string' ? e.message : 'bad request', {});
  }
  return undefined;
}

/** The body and status answered for `err`; internal errors get a fixed message. */
export function errorResponse(err: unknown, requestId?: string): { status: number; body: ErrorBody } {
  const known = toVersoError(err);
  const status = known ? statusOf(known.code) : 500;
  if (!known || status === 500) {
    return {
      status: 500,
      body: {
        error: { code: 'internal', message: 'internal error', details: requestId ? { requestId } : {} },
      },
    };
  }
  return { status, body: { error: { code: known.code, message: known.message, details: known.data } } };
}

/** Answers 404 not_found for any request no route took. */
export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path}`, { method: req.method, path: req.path }));
};

/** The last middleware: logs internal errors, answers every error in the contract shape. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const requestId = typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : undefined;
  const { status, body } = errorResponse(err, requestId);
  if (status === 500) {
    req.log?.error({ err }, 'request failed');
  } else {
    // pino-http logs the response; put the code on it so 4xx logs say why.
    res.locals.errorCode = body.error.code;
  }
  if (errorCodeRow(body.error.code)?.retryAfter && !res.getHeader('Retry-After')) {
    const retryAfter = body.error.details.retryAfterSeconds;
    res.setHeader('Retry-After', String(typeof retryAfter === 'number' && retryAfter > 0 ? Math.ceil(retryAfter) : DEFAULT_RETRY_AFTER_SECONDS));
  }
  res.status(status).json(body);
};
