// pre-receive for a push that arrives through a running verso gateway: plain JavaScript with no
// imports beyond Node's own, so it starts in a tenth of the time the full hook takes through tsx
// (no transform, no verso modules). It hands the push to the gateway that spawned git (already
// warm) over the local channel that gateway named in this process's environment, and prints
// what the gateway's check (hooks/preReceiveCheck.ts) said. Any failure refuses the push: the
// gateway is this hook's parent, so a channel that does not answer is an error, not a reason to
// let an unchecked push through.
import { request } from 'node:http';
import { resolve } from 'node:path';

const QUARANTINE = ['GIT_QUARANTINE_PATH', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES'];

function refuse(reason) {
  process.stderr.write(`verso refused this push: the check failed: ${reason}\n`);
  process.exit(1);
}

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const env = {};
// git runs the hook in the repository with GIT_DIR=. and the quarantine as absolute paths;
// the gateway runs git elsewhere, so every path goes over absolute.
for (const k of QUARANTINE) if (process.env[k]) env[k] = process.env[k].split(':').map((p) => resolve(p)).join(':');
const body = JSON.stringify({
  input: Buffer.concat(chunks).toString('utf8'),
  gitDir: resolve(process.env.GIT_DIR || '.'),
  env,
  locales: process.env.VERSO_HOOK_LOCALES ? process.env.VERSO_HOOK_LOCALES.split(',') : undefined,
  maxBytes: process.env.VERSO_HOOK_MAX_BYTES ? Number(process.env.VERSO_HOOK_MAX_BYTES) : undefined,
});
const req = request(
  {
    socketPath: process.env.VERSO_HOOK_CHANNEL,
    path: '/pre-receive',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-verso-hook-secret': process.env.VERSO_HOOK_SECRET || '' },
  },
  (res) => {
    const out = [];
    res.on('data', (d) => out.push(d));
    res.on('end', () => {
      let answer;
      try {
        answer = JSON.parse(Buffer.concat(out).toString('utf8'));
      } catch {
        return refuse(`the gateway answered ${res.statusCode}`);
      }
      if (res.statusCode !== 200 || typeof answer.code !== 'number') return refuse(answer.error || `the gateway answered ${res.statusCode}`);
      if (answer.text) process.stderr.write(answer.text);
      process.exit(answer.code);
    });
  },
);
req.on('error', (err) => refuse(`the gateway's hook channel did not answer (${err.message})`));
req.end(body);
