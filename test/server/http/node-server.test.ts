import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../server/config.js';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import type { ServerDeps } from '../../../server/services.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { parseAnswer, rawConnect, rawRequest, type RawSocket } from '../../helpers/raw-http.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { openSse } from '../../helpers/sse-client.js';

/** Short bounds for the tests: whole request 600 ms, headers 300 ms, checked every 50 ms. */
const SHORT: ServerDeps['http'] = { requestTimeoutMs: 600, headersTimeoutMs: 300, checkIntervalMs: 50 };

let running: RunningServer | undefined;
const sockets: RawSocket[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  closers.splice(0).forEach((close) => close());
  await running?.close();
  running = undefined;
});

async function start(config: Partial<Config> = {}, http = SHORT) {
  const source = new ScriptedSource();
  const log = memoryLogger();
  running = await startServer(testConfig(config), {
    clock: new FakeClock(),
    log,
    sourceFor: () => source,
    startEngines: false,
    http,
  });
  const connect = async () => {
    const raw = await rawConnect(running!.port);
    sockets.push(raw);
    return raw;
  };
  return { server: running, port: running.port, log, source, connect };
}

/** A JSON error answer as the clients of this server expect it, closing the connection. */
function expectJsonError(text: string, status: number) {
  const answer = parseAnswer(text);
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['connection']).toBe('close');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(JSON.parse(answer.body)).toEqual({ error: { status, message: expect.any(String) } });
}

describe('slow clients', () => {
  it('cuts a request whose body trickles in, once the time to receive a request is over', async () => {
    const { connect, log } = await start();
    const raw = await connect();
    // 1,000 bytes at one every 20 ms would take 20 s. The snapshot is answered at once,
    // and Node reads the body after it for as long as it comes.
    raw.socket.write('GET /api/feeds/saint-etienne HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    raw.trickle('a'.repeat(1000), 20);
    const { text, afterMs } = await raw.closedWithin(5_000);
    expect(afterMs).toBeGreaterThanOrEqual(500);
    expectJsonError(text.slice(text.indexOf('HTTP/1.1 408')), 408);
    expect(log.lines).toEqual([expect.stringMatching(/http\.client_error status=408 code=ERR_HTTP_REQUEST_TIMEOUT/)]);
  });

  it('cuts a request whose headers trickle in, with a JSON 408', async () => {
    const { connect } = await start();
    const raw = await connect();
    raw.socket.write('GET /api/feeds HTTP/1.1\r\n');
    raw.trickle('X-Slow: ' + 'a'.repeat(1000), 20);
    const { text, afterMs } = await raw.closedWithin(5_000);
    expect(afterMs).toBeGreaterThanOrEqual(250);
    expectJsonError(text, 408);
  });

  it('keeps a live stream open well past the time to receive a request', async () => {
    const { server, source } = await start();
    const stream = await openSse(`${server.url}/api/feeds/saint-etienne/events`);
    closers.push(stream.close);
    await new Promise((r) => setTimeout(r, 3 * SHORT!.requestTimeoutMs!));
    source.posts([testPost(1)]);
    await server.engines.get('saint-etienne')!.pollNow();
    const [post] = await stream.waitFor((f) => f.event === 'post');
    expect(post!.id).toBe('1');
    expect(server.delivery.hub.viewerCount).toBe(1);
  });
});

describe("answers to what Node's parser refuses", () => {
  it('answers a malformed request line with a JSON 400, logs one short line, and keeps serving', async () => {
    const { port, log, server } = await start();
    expectJsonError(await rawRequest(port, 'HELLO THERE\r\n\r\n'), 400);
    expectJsonError(await rawRequest(port, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n'), 400);
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatch(/ info http\.client_error status=400 code=HPE_\w+ address=127\.0\.0\.1$/);
    expect((await fetch(`${server.url}/api/feeds`)).status).toBe(200);
  });

  it('answers a path the adapter cannot read (a backslash) with a JSON 400', async () => {
    const { port, server } = await start();
    const request = 'GET /api/admin/..\\..\\server HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    expectJsonError(await rawRequest(port, request), 400);
    expect((await fetch(`${server.url}/api/feeds`)).status).toBe(200);
  });

  it('answers an oversized header with a JSON 431', async () => {
    const { port, log } = await start();
    const text = await rawRequest(port, `GET /api/feeds HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectJsonError(text, 431);
    expect(log.lines).toEqual([expect.stringMatching(/http\.client_error status=431 code=HPE_HEADER_OVERFLOW/)]);
  });
});

describe('the connection cap', () => {
  it('closes connections beyond MAX_CONNECTIONS at once, logs it once, and accepts again when one leaves', async () => {
    // Default request bounds: the idle sockets below must not be cut meanwhile.
    const { server, log, connect } = await start({ maxConnections: 3, maxViewers: 2 }, {});
    const held = [await connect(), await connect(), await connect()];
    await waitFor(async () => (await connections(server)) === 3);
    const extra = [await connect(), await connect()];
    for (const socket of extra) expect((await socket.closedWithin(2_000)).text).toBe('');
    expect(held.every((s) => !s.socket.destroyed)).toBe(true);
    expect(log.lines.filter((l) => l.includes('http.connections_full'))).toEqual([
      expect.stringMatching(/ warn http\.connections_full maxConnections=3 refused=1$/),
    ]);

    held[0]!.close();
    await waitFor(async () => (await connections(server)) === 2);
    const again = await connect();
    again.socket.write('GET /api/feeds HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseAnswer((await again.closed).text).status).toBe(200);
  });
});

function connections(server: RunningServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
