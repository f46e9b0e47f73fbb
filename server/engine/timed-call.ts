/** A call to a source that cannot hang the engine: aborted after a timeout, and abandoned if it ignores the abort. */
import type { Clock } from '../clock.js';

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('poll aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Runs `call` with `abort`'s signal, aborted after `timeoutMs` (or earlier by its owner); rejects
 * as soon as the signal aborts, even if `call` ignores it.
 */
export async function timedCall<T>(
  clock: Clock,
  timeoutMs: number,
  abort: AbortController,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = clock.setTimeout(() => abort.abort(new Error(`poll timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    // A source that ignores the signal must not hang the engine: the abort wins the race.
    return await Promise.race([call(abort.signal), rejectOnAbort(abort.signal)]);
  } finally {
    clock.clearTimeout(timeout);
  }
}
