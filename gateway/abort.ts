/** A signal that fires when the client goes away before its answer is sent, so work can stop. */
import type { Response } from 'express';

export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
