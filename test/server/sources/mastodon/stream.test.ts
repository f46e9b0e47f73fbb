import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../../server/log.js';
import type { MastodonAccount } from '../../../../server/sources/mastodon/api-types.js';
import {
  openMastodonStream,
  readFrame,
  type MastodonStream,
  type MastodonStreamEvent,
  type MastodonStreamOptions,
  type MastodonStreamState,
} from '../../../../server/sources/mastodon/stream.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { startFakeMastodon, type FakeMastodon } from '../../../fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus } from '../../../fake-mastodon/statuses.js';

const TOKEN = 'stream-Token_42';
const PING_MS = 10_000;
const SILENCE_MS = 25_000;
const BACKOFF = { baseMs: 1_000, capMs: 60_000 };

let fake: FakeMastodon;
let clock: FakeClock;
let town: MastodonAccount;
let stream: MastodonStream | undefined;
let events: MastodonStreamEvent[];
let states: MastodonStreamState[];
let log: ReturnType<typeof memoryLogger>;

beforeEach(async () => {
  fake = await startFakeMastodon({ token: TOKEN });
  clock = new FakeClock();
  town = fake.addAccount(fakeAccount({ username: 'ville' }));
  events = [];
  states = [];
  log = memoryLogger();
});
afterEach(async () => {
  stream?.close();
  stream = undefined;
  await fake.close();
});

/** Waits (in real time: sockets are real) until `check` holds. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited 3 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function open(options: Partial<MastodonStreamOptions> = {}): MastodonStream {
  stream = openMastodonStream({
    streamingUrl: fake.baseUrl,
    accessToken: TOKEN,
    hashtags: ['Fete'],
    clock,
    log,
    random: () => 0,
    backoff: BACKOFF,
    pingMs: PING_MS,
    silenceMs: SILENCE_MS,
    onEvent: (event) => events.push(event),
    onState: (state) => states.push(state),
    ...options,
  });
  return stream;
}

const opened = () => states.filter((s) => s.state === 'open').length;
const lastState = () => states.at(-1);

describe('Mastodon stream', () => {
  it('delivers updates, edits and deletions pushed on a hashtag stream, with the token in a header', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    expect(fake.streaming.subscriptions()).toEqual([['hashtag:fete']]);
    expect(fake.streaming.credentials).toEqual([`Bearer ${TOKEN}`]);
    const status = fake.publish(fakeStatus({ account: town, text: 'Bal ce soir #Fête #FETE' }));
    fake.publish(fakeStatus({ account: town, text: 'Sans rapport #Autre' }));
    const tagged = fake.publish(fakeStatus({ account: town, text: 'Feu d’artifice #fete' }));
    await eventually(() => events.length >= 1, 'the update');
    fake.edit(status.id, { content: '<p>Bal demain #Fete</p>' });
    fake.remove(tagged.id);
    await eventually(() => events.length >= 4, 'edit and delete');
    expect(events.map((e) => [e.event, e.event === 'delete' ? e.id : e.status.id])).toEqual([
      ['update', status.id],
      ['update', tagged.id],
      ['status.update', status.id],
      ['delete', tagged.id],
    ]);
    expect(events[0]).toMatchObject({ stream: ['hashtag', 'fete'], status: { content: status.content } });
    expect(events[2]).toMatchObject({ status: { content: '<p>Bal demain #Fete</p>', edited_at: expect.any(String) } });
    expect(stream!.isOpen).toBe(true);
  });

  it('follows the user stream when a token allows it', async () => {
    const followed = fake.addAccount(fakeAccount({ username: 'mairie' }));
    fake.streaming.followed.add(followed.id);
    open({ hashtags: [], user: true });
    await fake.streaming.waitForClients(1, 1);
    expect(fake.streaming.subscriptions()).toEqual([['user']]);
    const status = fake.publish(fakeStatus({ account: followed, text: 'Conseil municipal lundi' }));
    await eventually(() => events.length === 1, 'the user update');
    expect(events[0]).toMatchObject({ event: 'update', stream: ['user'], status: { id: status.id } });
  });

  it('follows no user stream without a token, and says so', async () => {
    await fake.close();
    fake = await startFakeMastodon({ streamingRequiresToken: false });
    open({ accessToken: undefined, user: true });
    await fake.streaming.waitForClients(1, 1);
    expect(fake.streaming.subscriptions()).toEqual([['hashtag:fete']]);
    expect(fake.streaming.credentials).toEqual([]);
    expect(log.lines.join('\n')).toContain('mastodon user stream needs an access token');
  });

  it('skips frames it cannot read, logs the first only, and goes on', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    fake.streaming.sendRaw('not json');
    fake.streaming.sendRaw(JSON.stringify({ stream: ['hashtag', 'fete'], event: 'update', payload: '{"id":' }));
    fake.streaming.sendRaw(JSON.stringify({ stream: ['user'], event: 'notification', payload: '{}' }));
    fake.streaming.sendRaw(JSON.stringify({ stream: ['hashtag', 'fete'], event: 'delete', payload: 1234 }));
    await eventually(() => events.length === 1, 'the good frame');
    expect(events).toEqual([{ event: 'delete', stream: ['hashtag', 'fete'], id: '1234' }]);
    expect(log.lines.filter((l) => l.includes('cannot read'))).toHaveLength(1);
    expect(stream!.health()).toMatchObject({ open: true, badFrames: 2, connections: 1 });
  });

  it('survives an event handler that throws', async () => {
    let calls = 0;
    open({
      onEvent: (event) => {
        calls++;
        if (calls === 1) throw new Error('handler bug');
        events.push(event);
      },
    });
    await fake.streaming.waitForClients(1, 1);
    fake.publish(fakeStatus({ account: town, text: 'un #Fete' }));
    const second = fake.publish(fakeStatus({ account: town, text: 'deux #Fete' }));
    await eventually(() => events.length === 1, 'the second event');
    expect(events[0]).toMatchObject({ status: { id: second.id } });
    expect(log.lines.join('\n')).toContain('handler bug');
  });

  it('reconnects with backoff after a drop, and subscribes again', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    fake.streaming.drop();
    await eventually(() => lastState()?.state === 'closed', 'the close');
    expect(lastState()).toMatchObject({ state: 'closed', reason: 'dropped', retryInMs: 500 });
    await clock.advance(499);
    expect(fake.streaming.connections).toBe(1);
    await clock.advance(1);
    await fake.streaming.waitForClients(1, 1);
    await eventually(() => opened() === 2, 'the second opening');
    expect(fake.streaming.connections).toBe(2);
    const status = fake.publish(fakeStatus({ account: town, text: 'après #Fete' }));
    await eventually(() => events.length === 1, 'an event after reconnecting');
    expect(events[0]).toMatchObject({ status: { id: status.id } });
  });

  it('waits longer after each failed attempt', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    fake.streaming.refuse(503);
    fake.streaming.drop();
    await eventually(() => states.length === 2, 'the first close');
    await clock.advance(500);
    await eventually(() => states.length === 3, 'the second close');
    await clock.advance(1000);
    await eventually(() => states.length === 4, 'the third close');
    expect(states.slice(1).map((s) => (s.state === 'closed' ? s.retryInMs : 0))).toEqual([500, 1000, 2000]);
    expect(states.slice(2)).toEqual([
      expect.objectContaining({ reason: 'dropped', message: 'HTTP 503' }),
      expect.objectContaining({ reason: 'dropped', message: 'HTTP 503' }),
    ]);
    fake.streaming.refuse(undefined);
    await clock.advance(2000);
    await eventually(() => opened() === 2, 'the reopening');
  });

  it('keeps a quiet connection that answers pings', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    for (let i = 0; i < 6; i++) {
      await clock.advance(PING_MS);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(states).toEqual([{ state: 'open' }]);
    expect(fake.streaming.connections).toBe(1);
  });

  it('cuts and reopens a connection that went silent without closing', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    fake.streaming.silence(true);
    await clock.advance(SILENCE_MS - 5_000);
    expect(states).toEqual([{ state: 'open' }]);
    await clock.advance(5_000);
    await eventually(() => lastState()?.state === 'closed', 'the cut');
    expect(lastState()).toMatchObject({ reason: 'silent', message: 'nothing heard for 25 s' });
    fake.streaming.silence(false);
    await clock.advance(500);
    await eventually(() => opened() === 2, 'the reopening');
    expect(fake.streaming.connections).toBe(2);
  });

  it('says a login is needed when the instance streams to logged-in users only', async () => {
    open({ accessToken: undefined });
    await eventually(() => states.length === 1, 'the refusal');
    expect(states[0]).toMatchObject({ state: 'closed', reason: 'login-required' });
    const wait = (states[0] as { retryInMs: number }).retryInMs;
    expect(wait).toBe(BACKOFF.capMs / 2);
  });

  it('says the token was refused, without ever writing it', async () => {
    open({ accessToken: 'not-the-token' });
    await eventually(() => states.length === 1, 'the refusal');
    expect(states[0]).toMatchObject({ state: 'closed', reason: 'auth' });
    expect(log.lines.join('\n')).not.toContain('not-the-token');
    expect(JSON.stringify(states)).not.toContain('not-the-token');
  });

  it('closes as refused when the server answers a subscription with 401, and waits long', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    fake.streaming.sendRaw(JSON.stringify({ error: `Unknown stream for ${TOKEN}`, status: 400 }));
    fake.streaming.sendRaw(JSON.stringify({ error: `Token ${TOKEN} revoked`, status: 401 }));
    await eventually(() => lastState()?.state === 'closed', 'the close');
    expect(lastState()).toMatchObject({ reason: 'auth', retryInMs: BACKOFF.capMs / 2 });
    expect(log.lines.join('\n')).toContain('refused a subscription');
    expect(JSON.stringify(states) + log.lines.join('\n')).not.toContain(TOKEN);
  });

  it('stops for good when closed', async () => {
    open();
    await fake.streaming.waitForClients(1, 1);
    stream!.close();
    await eventually(() => fake.streaming.clients === 0, 'the socket to close');
    await clock.advance(BACKOFF.capMs);
    expect(fake.streaming.connections).toBe(1);
    expect(clock.pending).toBe(0);
    expect(states).toEqual([{ state: 'open' }]);
  });
});

describe('readFrame', () => {
  it('reads Mastodon frames: a status as a JSON string, a deletion id, errors', () => {
    const status = { id: '1', content: '<p>x</p>' };
    expect(readFrame(JSON.stringify({ stream: ['public'], event: 'update', payload: JSON.stringify(status) }))).toEqual(
      {
        kind: 'event',
        event: { event: 'update', stream: ['public'], status },
      },
    );
    expect(readFrame(JSON.stringify({ event: 'status.update', payload: status }))).toMatchObject({
      event: { event: 'status.update', stream: [], status },
    });
    expect(readFrame('{"error":"Unknown stream type","status":400}')).toEqual({
      kind: 'error',
      status: 400,
      message: 'Unknown stream type',
    });
    expect(readFrame('{"stream":["user"],"event":"filters_changed"}')).toEqual({ kind: 'other' });
    for (const bad of ['', 'null', '[]x', '{"event":"delete","payload":""}', '{"event":"update","payload":"{}"}']) {
      expect(readFrame(bad)).toEqual({ kind: 'bad' });
    }
  });
});
