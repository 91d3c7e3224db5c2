/**
 * Third-party secrets (tokens, webhook secrets) at rest: AES-256-GCM with a random 12-byte IV,
 * stored as iv ‖ tag ‖ ciphertext. The key is `VERSO_SECRET_KEY` (32 bytes, hex or base64);
 * without it an embedded store generates one in `<dataDir>/secret.key` (mode 0600) and says so
 * once. Several gateways sharing one database must share VERSO_SECRET_KEY, or each would
 * generate its own key and fail to read the others' secrets.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../errors/index.js';

export interface SecretBox {
  seal(plain: Record<string, string>): Promise<Buffer>;
  open(sealed: Buffer): Promise<Record<string, string>>;
}

interface Logger {
  info(data: object, msg: string): void;
}

/** Parses a 32-byte key given as 64 hex characters or base64. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new ValidationError('VERSO_SECRET_KEY must be 32 bytes, as 64 hex characters or base64', { field: 'VERSO_SECRET_KEY' });
  return key;
}

async function keyFile(dataDir: string, log: Logger): Promise<Buffer> {
  const file = join(dataDir, 'secret.key');
  const existing = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing !== undefined) return parseSecretKey(existing);
  const key = randomBytes(32);
  try {
    // 'wx': two stores racing to create it must not overwrite each other's key.
    await writeFile(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parseSecretKey(await readFile(file, 'utf8'));
    throw err;
  }
  await chmod(file, 0o600);
  log.info({ file: 'secret.key' }, 'generated a key for integration secrets in the data dir (set VERSO_SECRET_KEY to choose one)');
  return key;
}

/** A SecretBox whose key is loaded (or generated) on first use only. */
export function createSecretBox(args: { envKey?: string; dataDir: string; log: Logger }): SecretBox {
  let key: Promise<Buffer> | undefined;
  const getKey = () => (key ??= args.envKey ? Promise.resolve(parseSecretKey(args.envKey)) : keyFile(args.dataDir, args.log));
  return {
    async seal(plain) {
      const k = await getKey();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async open(sealed) {
      const k = await getKey();
      const decipher = createDecipheriv('aes-256-gcm', k, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const text = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Record<string, string>;
    },
  };
}
