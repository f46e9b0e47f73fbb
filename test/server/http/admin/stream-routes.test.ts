/** The organisers' live stream over a real socket: behind the session, private, and live with queue and audit events. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, QueueItem } from '../../../../server/moderation/types.js';
import { adminRequest, signedInAs } from '../../../helpers/admin.js';
import { testPost } from '../../../helpers/posts.js';
import { cleanUp, server } from '../../../helpers/services.js';
import { openSse } from '../../../helpers/sse-client.js';

afterEach(cleanUp);

const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };

async function start() {
  const s = await server();
  s.sources.get('saint-etienne').posts([testPost(1, { author: resident })]);
  await s.engines.get('saint-etienne')!.pollNow();
  const { cookie } = await signedInAs(s.auth, 'moderator', 'mona');
  return { s, cookie, url: `${s.url}/api/admin/feeds/saint-etienne/events` };
}

describe('GET /api/admin/feeds/:id/events', () => {
  it('answers 401 and nothing else without a session', async () => {
    const { url } = await start();
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { status: 401, message: 'authentication required' } });
  });

  it('streams what the queue and the audit log gain, to the organisers only, never stored nor read cross-origin', async () => {
    const { s, cookie, url } = await start();
    const organisers = await openSse(url, { cookie });
    const visitors = await openSse(`${s.url}/api/feeds/saint-etienne/events`);
    expect(organisers.status).toBe(200);
    expect(organisers.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(organisers.headers['cache-control']).toMatch(/(^|, )no-store(,|$)/);
    expect(organisers.headers['x-content-type-options']).toBe('nosniff');
    expect(organisers.headers['access-control-allow-origin']).toBeUndefined();
    await organisers.waitFor((f) => f.event === 'status');

    await adminRequest(s.app, 'feeds/saint-etienne/posts/p1/decision', { body: { action: 'hide' }, cookie });
    const [queue] = await organisers.waitFor((f) => f.event === 'queue');
    expect(JSON.parse(queue!.data!) as QueueItem).toMatchObject({
      post: { id: 'p1' },
      visibility: 'hidden',
      decidedBy: 'mona',
    });
    const [audit] = await organisers.waitFor((f) => f.event === 'audit');
    expect(JSON.parse(audit!.data!) as AuditEntry).toMatchObject({ action: 'hide', actor: 'mona', postId: 'p1' });

    // Visitors learn that the post left, and nothing of the queue.
    await visitors.waitFor((f) => f.event === 'remove');
    expect(visitors.frames.filter((f) => f.event === 'queue' || f.event === 'audit')).toEqual([]);

    // A console that reconnects gets what it missed.
    const lastId = queue!.id!;
    organisers.close();
    await adminRequest(s.app, 'feeds/saint-etienne/posts/p1/decision', { body: { action: 'unhide' }, cookie });
    const again = await openSse(url, { cookie, 'last-event-id': lastId });
    const missed = await again.waitFor((f) => f.event === 'queue' && JSON.parse(f.data!).visibility === 'shown');
    expect(missed).toHaveLength(1);
    again.close();
    visitors.close();
  });

  it('answers HEAD without becoming a viewer, and 404 for an unknown feed', async () => {
    const { s, cookie, url } = await start();
    const head = await fetch(url, { method: 'HEAD', headers: { cookie } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.delivery.admin.hub.viewerCount).toBe(0);
    const unknown = await fetch(`${s.url}/api/admin/feeds/nowhere/events`, { headers: { cookie } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { status: 404, message: 'unknown feed "nowhere"' } });
  });
});
