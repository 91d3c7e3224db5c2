/** Reads the body of a save: a file, or standard input when there is no file (or it is `-`). */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ValidationError } from '../errors/index.js';
import type { Format } from '../types.js';
import type { Io } from './io.js';

const FORMAT_BY_EXT: Record<string, Format> = { '.json': 'json', '.md': 'markdown', '.markdown': 'markdown', '.txt': 'text' };

/** The format a file's extension names, if any. */
export function formatOfFile(file: string | undefined): Format | undefined {
  return file ? FORMAT_BY_EXT[extname(file).toLowerCase()] : undefined;
}

export async function readBody({ io, file }: { io: Io; file?: string }): Promise<string> {
  if (file !== undefined && file !== '-') {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : 'unreadable';
      throw new ValidationError(`cannot read --file ${file}: ${why}`, { field: 'file' }, err);
    }
  }
  if (io.stdin.isTTY) throw new ValidationError('give the content with --file F or pipe it on standard input', { field: 'file' });
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
