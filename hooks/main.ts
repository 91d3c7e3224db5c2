/**
 * The one program behind verso's git hooks: `node hooks/main.js <hook>`, run by the shims
 * `verso hooks install` writes. pre-receive may refuse a push (exit 1); post-receive and
 * post-commit never fail: what they could not index, start-up reconcile or
 * `verso fsck --repair` indexes later. Each hook loads only its own modules: a push waits for
 * pre-receive, so it must start fast.
 */
const hook = process.argv[2];
let code: number;
switch (hook) {
  case 'pre-receive':
    code = await (await import('./preReceive.js')).preReceive();
    break;
  case 'post-receive':
    code = await (await import('./postReceive.js')).postReceive();
    break;
  case 'post-commit':
    code = await (await import('./postCommit.js')).postCommit();
    break;
  default:
    process.stderr.write(`verso hooks: unknown hook ${JSON.stringify(hook)}\n`);
    code = 1;
}
process.exitCode = code;
// A library handle left open (a database pool, a timer) must not hold git up.
setTimeout(() => process.exit(code), 1000).unref();
