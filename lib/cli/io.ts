/**
 * The effects a command may use, passed in (STYLE rule 2): the three standard streams, the
 * environment, and the shutdown signals. `processIo()` binds them to this process; tests may
 * pass their own.
 */
export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Calls `handler` on SIGINT or SIGTERM; returns a function that stops listening. */
  onShutdownSignal(handler: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * A reader that stops early (`verso log | head -1`) closes the pipe: like git, stop quietly
 * instead of dying on an unhandled EPIPE with a stack trace. The exit status is the one the
 * command had reached.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

export function processIo(): Io {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onShutdownSignal(handler) {
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
      for (const s of signals) process.on(s, handler);
      return () => {
        for (const s of signals) process.off(s, handler);
      };
    },
  };
}
