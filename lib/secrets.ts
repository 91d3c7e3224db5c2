/**
 * Encryption at rest for third-party secrets (webhook signing secrets, integration tokens,
 * through lib/integrations/secrets.ts): AES-256-GCM with a
 * 12-byte random IV, stored as iv ‖ tag ‖ ciphertext. The key comes from VERSO_SECRET_KEY
 * (32 bytes, hex or base64); without it, a key generated once into `<dataDir>/secret.key`
 * (mode 0600). Several gateways on one PostgreSQL must share VERSO_SECRET_KEY, or each could
 * read only the secrets it wrote.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from './errors/index.js';

const KEY_FILE = 'secret.key';

export function parseKey(text: string, from: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new ValidationError(`${from} must be 32 bytes, hex or base64`, { field: from });
  return key;
}

/** The encryption key of a store: the environment's, else the data dir's key file (made once). */
export async function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env, onGenerated?: () => void): Promise<Buffer> {
  if (env.VERSO_SECRET_KEY) return parseKey(env.VERSO_SECRET_KEY, 'VERSO_SECRET_KEY');
  const file = join(dataDir, KEY_FILE);
  try {
    return parseKey(await readFile(file, 'utf8'), KEY_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
    await writeFile(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    onGenerated?.();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseKey(await readFile(file, 'utf8'), KEY_FILE);
}

export function encryptSecret(key: Buffer, plaintext: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** @throws Error when the key is not the one that encrypted (GCM authentication fails). */
export function decryptSecret(key: Buffer, stored: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, 12));
  decipher.setAuthTag(stored.subarray(12, 28));
  return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]).toString('utf8');
}
