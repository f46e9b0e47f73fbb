/**
 * What a load balancer or an orchestrator asks: `GET /api/live` (the process answers: 200) and
 * `GET /api/ready` (200 once the instance serves its feeds' snapshots, else 503; in Redis mode,
 * once it started from the shared tables and caught up with the change log). Answered before
 * anything else, never cached, and never counted against any limit.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import { probeHeaders } from './headers.js';

/** Whether the instance is ready, and what it says about itself (role, Redis…). */
export type Readiness = () => { ready: boolean } & Record<string, unknown>;

function answer(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, probeHeaders(bytes.length));
  res.end(head ? undefined : bytes);
}

export function probesListener(readiness: Readiness, next: RequestListener): RequestListener {
  return (req, res) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && req.url === '/api/live') return answer(res, 200, { live: true }, req.method === 'HEAD');
    if (get && req.url === '/api/ready') {
      const state = readiness();
      return answer(res, state.ready ? 200 : 503, state, req.method === 'HEAD');
    }
    next(req, res);
  };
}
