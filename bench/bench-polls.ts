/**
 * 4: source polls over the same window with 1 viewer and one reader
 * connection, then with 5,000 viewers and autocannon hammering the snapshot
 * (100 connections, pipelining 10): the same count. Readers send a browser's
 * Accept-Encoding. The server, the viewers and the load are three processes.
 */
import { spawnChild } from './ipc.js';
import type { LoadResult } from './load.js';
import { atMost, round, type BenchOutcome } from './report.js';

export interface PollOptions {
  viewers: number;
  windowMs: number;
  paceMs: number;
  /** One poll in this many brings a new post. */
  postEvery: number;
  /** What the readers send: a browser's Accept-Encoding (they get the cached brotli bytes). */
  acceptEncoding: string;
}

export const POLL_DEFAULTS: PollOptions = {
  viewers: 5_000,
  windowMs: 3_000,
  paceMs: 100,
  postEvery: 10,
  acceptEncoding: 'gzip, deflate, br',
};

export async function benchPolls(options: PollOptions = POLL_DEFAULTS, log = console.log): Promise<BenchOutcome> {
  const server = await spawnChild('poll-server.ts', 'poll-server', {
    args: [String(options.paceMs), String(options.postEvery)],
    raiseFileLimit: true,
    cpus: '0',
  });
  const clients = await spawnChild('sse-clients.ts', 'sse-clients', { raiseFileLimit: true, cpus: '1' });
  const load = await spawnChild('load.ts', 'load', { cpus: '1' });
  try {
    const { port, snapshotPath, eventsPath } = await server.request<{
      port: number;
      snapshotPath: string;
      eventsPath: string;
    }>('start', undefined, 60_000);
    const url = `http://127.0.0.1:${port}${snapshotPath}`;
    const phase = async (label: string, viewers: number, connections: number, pipelining: number) => {
      const opened = await clients.request<{ open: number }>(
        'open',
        { port, path: eventsPath, count: viewers },
        120_000,
      );
      const bytes0 = (await clients.request<{ bytes: number }>('stats')).bytes;
      const loadRun = load.request<LoadResult>(
        'run',
        {
          url,
          connections,
          pipelining,
          headers: { 'accept-encoding': options.acceptEncoding },
          durationS: Math.ceil(options.windowMs / 1000) + 1,
        },
        60_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      const m = await server.request<{
        polls: number;
        elapsedMs: number;
        viewers: number;
        meanLateMs: number;
        maxLateMs: number;
      }>('measure', { ms: options.windowMs }, options.windowMs + 30_000);
      const readers = await loadRun;
      const stats = await clients.request<{ open: number; bytes: number }>('stats');
      const figures = {
        viewers: m.viewers,
        polls: m.polls,
        windowMs: round(m.elapsedMs, 0),
        meanPollLateMs: round(m.meanLateMs, 1),
        maxPollLateMs: m.maxLateMs,
        snapshotReads: readers.total,
        snapshotReadsPerS: round(readers.rps, 0),
        sseBytesToViewers: stats.bytes - bytes0,
      };
      log(
        `  ${label}: ${m.polls} polls in ${figures.windowMs} ms with ${m.viewers} SSE viewers (received ${figures.sseBytesToViewers} B) and ${readers.total} snapshot reads (${figures.snapshotReadsPerS}/s); polls ran ${figures.meanPollLateMs} ms after they were due on average, ${figures.maxPollLateMs} ms at most`,
      );
      if (opened.open < 1) throw new Error('no viewer connected');
      return figures;
    };
    const one = await phase('1 viewer', 1, 1, 1);
    const many = await phase(`${options.viewers} viewers`, options.viewers - 1, 100, 10);
    await server.request('close', undefined, 15_000).catch(() => undefined);
    const diff = Math.abs(many.polls - one.polls);
    log(
      `  polls with ${many.viewers} viewers / with 1 viewer: ${many.polls} / ${one.polls} = ${round(many.polls / one.polls, 3)}`,
    );
    return {
      name: 'polls',
      figures: { options, one, many, ratio: round(many.polls / one.polls, 3) },
      targets: [
        atMost(
          `source polls in ${options.windowMs} ms: |${many.viewers} viewers (${many.polls}) - 1 viewer (${one.polls})|`,
          diff,
          1,
          'polls',
        ),
      ],
    };
  } finally {
    await load.kill();
    await clients.kill();
    await server.kill();
  }
}
