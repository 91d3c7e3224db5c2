/**
 * How the CLI reports a failure: `error: <message> (<code>)` on stderr, or with `--json` one
 * `{"error":{code,message,details}}` document on stdout (the channel scripts already parse).
 * Exit status 2 for invalid input (usage errors included), 1 for every other failure.
 * A stack trace is printed only with VERSO_DEBUG=1.
 */
import { CommanderError } from 'commander';
import { ValidationError, VersoError } from '../errors/index.js';
import type { Io } from './io.js';
import { printJson } from './output.js';

export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

/** Commander's own outcomes that are not failures: help or version was printed on request. */
const DONE_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/** Turns whatever was thrown into a VersoError, or undefined when nothing failed. */
export function toVersoError(err: unknown): VersoError | undefined {
  if (err instanceof VersoError) return err;
  if (err instanceof CommanderError) {
    if (DONE_CODES.has(err.code)) return undefined;
    const message = err.code === 'commander.help' ? 'a subcommand is required (see the help above)' : err.message.replace(/^error:\s*/i, '');
    return new ValidationError(message, { usage: err.code }, err);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new VersoError('internal', message || 'unexpected failure', {}, err);
}

export function exitCodeFor(err: VersoError): number {
  return err.code === ValidationError.code ? EXIT_INVALID : EXIT_FAILURE;
}

/** Prints the error the way the caller asked for and returns the exit status. */
export function reportError(io: Io, thrown: unknown, json: boolean): number {
  const err = toVersoError(thrown);
  if (!err) return 0;
  if (json) printJson(io, { error: err.toJSON() });
  else io.stderr.write(`error: ${err.message} (${err.code})\n`);
  if (io.env.VERSO_DEBUG === '1') io.stderr.write(debugTrace(thrown) + '\n');
  return exitCodeFor(err);
}

function debugTrace(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
