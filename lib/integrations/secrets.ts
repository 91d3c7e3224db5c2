/**
 * Integration tokens and webhook secrets at rest, as one sealed JSON object per integration,
 * with the store's one encryption scheme and key (lib/secrets.ts: AES-256-GCM, VERSO_SECRET_KEY
 * or `<dataDir>/secret.key`, mode 0600). The key file's creation is said once in the log.
 */
import { decryptSecret, encryptSecret, loadSecretKey, parseKey } from '../secrets.js';

export interface SecretBox {
  seal(plain: Record<string, string>): Promise<Buffer>;
  open(sealed: Buffer): Promise<Record<string, string>>;
}

interface Logger {
  info(data: object, msg: string): void;
}

/** Parses a 32-byte key given as 64 hex characters or base64. */
export function parseSecretKey(text: string): Buffer {
  return parseKey(text, 'VERSO_SECRET_KEY');
}

/** A SecretBox whose key is loaded (or generated) on first use only. */
export function createSecretBox(args: { envKey?: string; dataDir: string; log: Logger }): SecretBox {
  let key: Promise<Buffer> | undefined;
  const announce = () => args.log.info({ file: 'secret.key' }, 'generated a key for integration secrets in the data dir (set VERSO_SECRET_KEY to choose one)');
  const getKey = () => (key ??= loadSecretKey(args.dataDir, args.envKey ? { VERSO_SECRET_KEY: args.envKey } : {}, announce));
  return {
    seal: async (plain) => encryptSecret(await getKey(), JSON.stringify(plain)),
    open: async (sealed) => JSON.parse(decryptSecret(await getKey(), sealed)) as Record<string, string>,
  };
}
