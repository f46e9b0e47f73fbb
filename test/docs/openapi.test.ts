import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_EVENTS, feedListSchema, feedSnapshotSchema } from '../../server/contract-schema.js';
import { buildOpenApi } from '../../server/http/openapi.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { testConfig } from '../helpers/config.js';
import { testPost } from '../helpers/posts.js';
import { ScriptedSource } from '../helpers/scripted-source.js';
import { openSse } from '../helpers/sse-client.js';

const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as Record<string, unknown>;
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('docs/openapi.json', () => {
  it('is what `npm run openapi` writes from the zod schemas of the wire contract (run it after changing them)', () => {
    expect(committed).toEqual(buildOpenApi(version));
  });

  it('is OpenAPI 3.1 whose every $ref names a component it defines', () => {
    expect(committed.openapi).toBe('3.1.0');
    const schemas = (committed.components as { schemas: Record<string, unknown> }).schemas;
    const refs = [...JSON.stringify(committed).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    expect(Object.keys((committed.paths as object) ?? {})).toEqual(
      expect.arrayContaining(['/api/feeds', '/api/feeds/{id}', '/api/feeds/{id}/events']),
    );
  });
});

describe('the schemas it is built from', () => {
  let server: RunningServer;
  const source = new ScriptedSource();
  beforeAll(async () => {
    server = await startServer(testConfig(), { log: memoryLogger(), sourceFor: () => source, startEngines: false });
  });
  afterAll(() => server.close());

  it('accept what the server really sends: the feed list, a snapshot and the live events', async () => {
    const stream = await openSse(`${server.url}/api/feeds/saint-etienne/events`);
    try {
      const quoting = testPost(2, { quoted: testPost(1), lang: 'fr', pinnedAt: new Date(0).toISOString() });
      quoting.media = [
        { kind: 'photo', url: '/media/a.jpg', previewUrl: '/media/a.jpg', alt: 'Une photo', width: 4, height: 3 },
      ];
      source.posts([testPost(1), quoting]);
      await server.engines.get('saint-etienne')!.pollNow();
      feedListSchema.parse(await (await fetch(`${server.url}/api/feeds`)).json());
      const snapshot = feedSnapshotSchema.parse(await (await fetch(`${server.url}/api/feeds/saint-etienne`)).json());
      expect(snapshot.posts.map((p) => p.id)).toEqual(['p2', 'p1']);
      const frames = await stream.waitFor((f) => f.event === 'post', 2);
      for (const frame of stream.frames.filter((f) => f.event)) {
        const event = frame.event as keyof typeof FEED_EVENTS;
        expect(FEED_EVENTS[event], event).toBeDefined();
        FEED_EVENTS[event].schema.parse(JSON.parse(frame.data!));
      }
      expect(frames).toHaveLength(2);
    } finally {
      stream.close();
    }
  });
});
