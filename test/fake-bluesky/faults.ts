/**
 * How the fake Bluesky misbehaves on demand: faults queued per endpoint (rate limits, 5xx, garbage,
 * cut-short JSON, slow answers, a CDN's HTML page, a gateway echoing secrets), and the rate-limit
 * windows behind the `ratelimit-*` headers.
 */

export type FakeFault =
  | { kind: 'rate-limit'; resetInSeconds?: number }
  | { kind: 'unavailable'; status?: number }
  /** A 200 whose body is not JSON. */
  | { kind: 'garbage' }
  /** A 200 whose JSON is cut short. */
  | { kind: 'truncated' }
  | { kind: 'delay'; ms: number }
  /** The HTML error page a CDN in front of the API answers with. */
  | { kind: 'html'; status?: number }
  /** A gateway error that echoes the Authorization header and the last password it saw. */
  | { kind: 'echo-secrets'; status?: number };

/** An answer to write: JSON `body`, or `raw` text of another `type`. */
export interface Reply {
  status: number;
  body?: unknown;
  raw?: string;
  type?: string;
}

/** Faults waiting per endpoint, consumed in order. */
export class FaultQueue<E extends string> {
  readonly #queues = new Map<E, { fault: FakeFault; times: number }[]>();

  add(endpoints: readonly E[], fault: FakeFault, times: number): void {
    for (const e of endpoints) {
      const queue = this.#queues.get(e) ?? [];
      queue.push({ fault, times });
      this.#queues.set(e, queue);
    }
  }

  take(endpoint: E): FakeFault | undefined {
    const queue = this.#queues.get(endpoint);
    const head = queue?.[0];
    if (!head) return undefined;
    if (--head.times <= 0) queue!.shift();
    return head.fault;
  }
}

/** What a fault answers in place of the real answer, if it replaces it. */
export function faultReply(
  fault: FakeFault | undefined,
  echo: { authorization?: string; password: string },
): Reply | undefined {
  switch (fault?.kind) {
    case 'unavailable':
      return { status: fault.status ?? 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } };
    case 'garbage':
      return { status: 200, raw: '<html><body>Bonjour</body></html>', type: 'text/html' };
    case 'truncated':
      return { status: 200, raw: '{"feed":[{"post":{"uri":"at://' };
    case 'html':
      return {
        status: fault.status ?? 403,
        raw: '<!DOCTYPE html><title>403 Forbidden</title><h1>Forbidden</h1>',
        type: 'text/html',
      };
    case 'echo-secrets':
      return {
        status: fault.status ?? 401,
        body: {
          error: 'UpstreamFailure',
          message: `bad header "${echo.authorization ?? ''}" for password ${echo.password.toUpperCase()} (${echo.password})`,
        },
      };
    default:
      return undefined;
  }
}

/** Bluesky's windows: `limit` requests per endpoint per `windowS` seconds, reset at a Unix time. */
export class RateWindows<E extends string> {
  readonly #windows = new Map<E, { remaining: number; reset: number }>();

  constructor(
    readonly limit: number,
    readonly windowS: number,
    private readonly now: () => number,
  ) {}

  /** The endpoint's window, renewed once its reset time has passed. */
  window(endpoint: E): { remaining: number; reset: number } {
    const nowS = Math.floor(this.now() / 1000);
    let w = this.#windows.get(endpoint);
    if (!w || nowS >= w.reset) {
      w = { remaining: this.limit, reset: nowS + this.windowS };
      this.#windows.set(endpoint, w);
    }
    return w;
  }

  /** Counts one request; false when the window is used up (answer 429). A `rate-limit` fault uses it up now. */
  take(endpoint: E, fault: FakeFault | undefined): boolean {
    const w = this.window(endpoint);
    if (fault?.kind === 'rate-limit') {
      w.remaining = 0;
      if (fault.resetInSeconds !== undefined) w.reset = Math.floor(this.now() / 1000) + fault.resetInSeconds;
    }
    if (w.remaining <= 0) return false;
    w.remaining--;
    return true;
  }

  headers(endpoint: E): Record<string, string> {
    const w = this.#windows.get(endpoint) ?? this.window(endpoint);
    return {
      'ratelimit-limit': String(this.limit),
      'ratelimit-remaining': String(Math.max(0, w.remaining)),
      'ratelimit-reset': String(w.reset),
      'ratelimit-policy': `${this.limit};w=${this.windowS}`,
    };
  }
}
