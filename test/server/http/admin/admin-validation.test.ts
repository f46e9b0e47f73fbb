/** Every body, query and path of the admin API is validated: a refusal is 400 and names its field, and changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, adminRequest, adminServices, type AdminRequestInit } from '../../../helpers/admin.js';
import { testPost } from '../../../helpers/posts.js';
import type { ScriptedSource } from '../../../helpers/scripted-source.js';

let s: ReturnType<typeof adminServices>;
let announcementId: string;

beforeAll(async () => {
  s = adminServices();
  const engine = s.engines.get('saint-etienne')!;
  (engine.source as ScriptedSource).posts([testPost(1)]);
  await engine.pollNow();
  announcementId = s.moderation.announce(
    'saint-etienne',
    { html: '<p>Bal</p>', pinned: false },
    { username: 'alice', role: 'admin' },
  ).id;
});
afterAll(() => s.close());

const feed = 'feeds/saint-etienne';
const future = new Date(Date.now() + 86_400_000).toISOString();
const long = (n: number) => 'x'.repeat(n);

/** [what, path, request, message of the 400]. */
const cases: [string, string, AdminRequestInit, string][] = [
  // Decisions and undo.
  ['no action', `${feed}/posts/p1/decision`, { body: {} }, 'action: must be one of approve, hide, unhide, pin, unpin'],
  [
    'an unknown action',
    `${feed}/posts/p1/decision`,
    { body: { action: 'delete' } },
    'action: must be one of approve, hide, unhide, pin, unpin',
  ],
  [
    'a long reason',
    `${feed}/posts/p1/decision`,
    { body: { action: 'hide', reason: long(501) } },
    'reason: must be at most 500 characters',
  ],
  [
    'a reason that is no string',
    `${feed}/posts/p1/decision`,
    { body: { action: 'hide', reason: 3 } },
    'reason: must be a string',
  ],
  ['an unknown field', `${feed}/posts/p1/decision`, { body: { action: 'hide', by: 'x' } }, 'by: is not a known field'],
  ['a body that is no JSON', `${feed}/posts/p1/decision`, { body: '{"action":' }, 'body: must be valid JSON'],
  [
    'an audit id that is no number',
    `${feed}/audit/abc/undo`,
    { method: 'POST' },
    'auditId: must be a whole number of at least 1',
  ],
  ['audit id 0', `${feed}/audit/0/undo`, { method: 'POST' }, 'auditId: must be a whole number of at least 1'],
  // Queue and audit log.
  [
    'an unknown visibility',
    `${feed}/queue?visibility=shown,gone`,
    {},
    'visibility: must list some of shown, held, hidden, filtered, separated by commas',
  ],
  ['visibility given twice', `${feed}/queue?visibility=shown&visibility=held`, {}, 'visibility: must be given once'],
  ['limit 0', `${feed}/queue?limit=0`, {}, 'limit: must be a whole number from 1 to 200'],
  ['limit 500', `${feed}/queue?limit=500`, {}, 'limit: must be a whole number from 1 to 200'],
  ['an unknown query field', `${feed}/queue?sort=old`, {}, 'sort: is not a known field'],
  ['a negative audit cursor', `${feed}/audit?before=-1`, {}, 'before: must be a whole number of at least 1'],
  ['an audit limit that is no number', `${feed}/audit?limit=ten`, {}, 'limit: must be a whole number from 1 to 200'],
  // Feeds.
  ['settings that are no object', 'feeds', { body: [] }, 'body: must be a JSON object of feed settings'],
  [
    'a feed without title',
    'feeds',
    { body: { id: 'bal', sources: [{ network: 'demo' }] } },
    'title: Invalid input: expected string, received undefined',
  ],
  [
    'a wrong account',
    'feeds',
    { body: { id: 'bal', title: 'Bal', sources: [{ network: 'demo', accounts: ['ok', 'pas bon'] }] } },
    'sources[0].accounts[1]: must be an X username: 1 to 15 letters, digits or _',
  ],
  [
    'a network not configured',
    'feeds',
    { body: { id: 'bal', title: 'Bal', hashtags: ['Bal'], sources: [{ network: 'x', accounts: [] }] } },
    'sources[0].network: X is not configured on this server (X_BEARER_TOKEN)',
  ],
  [
    'a wrong hashtag',
    `${feed}`,
    { method: 'PUT', body: { title: 'Fête', hashtags: ['Fête du livre'] } },
    'hashtags[0]: must be a hashtag: letters, digits or _, without spaces',
  ],
  ['an empty title', `${feed}`, { method: 'PUT', body: { title: '' } }, 'title: must not be empty'],
  [
    'another id',
    `${feed}`,
    { method: 'PUT', body: { id: 'autre', title: 'Fête' } },
    'id: must be "saint-etienne", the feed\'s id (it cannot change)',
  ],
  [
    'an unknown setting',
    `${feed}`,
    { method: 'PUT', body: { title: 'Fête', colour: 'red' } },
    'colour: is not a known field',
  ],
  [
    'an unknown state',
    `${feed}/state`,
    { body: { state: 'deleted' } },
    'state: must be one of "active", "paused", "archived"',
  ],
  ['no state', `${feed}/state`, { body: {} }, 'state: must be one of "active", "paused", "archived"'],
  // Announcements.
  [
    'an announcement without html',
    `${feed}/announcements`,
    { body: { pinned: true } },
    'html: must be a string of HTML',
  ],
  [
    'pinned as a word',
    `${feed}/announcements`,
    { body: { html: '<p>Bal</p>', pinned: 'oui' } },
    'pinned: must be true or false',
  ],
  [
    'a date without time zone',
    `${feed}/announcements`,
    { body: { html: '<p>Bal</p>', pinned: false, at: '2026-07-14 21:00' } },
    'at: must be an ISO 8601 date-time with a time zone, like "2026-10-16T08:00:00+02:00" or "2026-10-16T06:00:00Z"',
  ],
  [
    'an expiry in the past',
    `${feed}/announcements`,
    { body: { html: '<p>Bal</p>', pinned: false, expiresAt: '2020-01-01T00:00:00Z' } },
    'expiresAt: must be in the future',
  ],
  [
    'markup with no text',
    `${feed}/announcements`,
    { body: { html: '<script>alert(1)</script>', pinned: true } },
    'html: must contain some text',
  ],
  [
    'too much markup',
    `${feed}/announcements`,
    { body: { html: `<p>${long(5000)}</p>`, pinned: true } },
    'html: must be at most 5000 characters',
  ],
  [
    'an edit with an unknown field',
    `${feed}/announcements/ANN`,
    { method: 'PUT', body: { html: '<p>Bal</p>', pinned: true, colour: 'red' } },
    'colour: is not a known field',
  ],
  [
    'an edit expiring in the past',
    `${feed}/announcements/ANN`,
    { method: 'PUT', body: { html: '<p>Bal</p>', pinned: true, expiresAt: '2020-01-01T00:00:00Z' } },
    'expiresAt: must be in the future',
  ],
  // The alert.
  ['an empty alert', `${feed}/alert`, { body: { text: '   ' } }, 'text: must not be empty'],
  ['an alert without text', `${feed}/alert`, { body: { expiresAt: future } }, 'text: must be a string'],
  ['a long alert', `${feed}/alert`, { body: { text: long(501) } }, 'text: must be at most 500 characters'],
  [
    'an alert in no language',
    `${feed}/alert`,
    { body: { text: 'Orage', lang: 'français' } },
    'lang: must be a language tag like "fr"',
  ],
];

describe('validation of the admin API', () => {
  it.each(cases)('refuses %s with 400 naming the field', async (_what, path, init, message) => {
    const before = s.store.audit.list('saint-etienne', undefined, 1)[0]?.id;
    const res = await adminRequest(s.app, path.replace('ANN', announcementId), { token: TEST_ADMIN_TOKEN, ...init });
    expect(await res.json()).toEqual({ error: { status: 400, message } });
    expect(res.status).toBe(400);
    // Nothing was written.
    expect(s.store.audit.list('saint-etienne', undefined, 1)[0]?.id).toBe(before);
  });
});
