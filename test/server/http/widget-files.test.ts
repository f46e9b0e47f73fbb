import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createAssets } from '../../../server/http/assets.js';
import type { WidgetManifest } from '../../../server/http/widget-files.js';
import { tempDir } from '../../helpers/config.js';

const CHUNK = 'commune-feed-sanitize-Ab3_x-9.js';
const chunkCode = `export function sanitizeAnnouncementHtml(){}/*${'x'.repeat(2000)}*/`;
const mainCode = `import(\`./${CHUNK}\`);/*${'y'.repeat(2000)}*/`;
const manifest: WidgetManifest = {
  version: '1.4.2',
  main: { file: './commune-feed.js', integrity: 'sha384-main' },
  chunks: { sanitize: { file: `./${CHUNK}`, integrity: 'sha384-chunk' } },
};

/** A built widget (main file, one lazily loaded chunk, the manifest unless `built` is false) and an empty demo folder. */
function assets({ withManifest = true } = {}) {
  const dir = tempDir();
  const dist = path.join(dir, 'dist');
  mkdirSync(dist);
  mkdirSync(path.join(dir, 'demo'));
  writeFileSync(path.join(dist, 'commune-feed.js'), mainCode);
  writeFileSync(path.join(dist, CHUNK), chunkCode);
  if (withManifest) writeFileSync(path.join(dist, 'commune-feed.manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(dir, 'secret.js'), 'not for visitors');
  return createAssets({ widgetFile: path.join(dist, 'commune-feed.js'), demoDir: path.join(dir, 'demo') });
}

const CROSS_ORIGIN = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
  'content-type': 'text/javascript; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('the widget files', () => {
  it('serves commune-feed.js to any page, as a script, cached briefly', async () => {
    const res = await assets().request('/commune-feed.js');
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      ...CROSS_ORIGIN,
      'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
    });
  });

  it('serves the lazily loaded sanitizer beside it with the same headers, cached for good, compressed', async () => {
    const app = assets();
    const res = await app.request(`/${CHUNK}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      ...CROSS_ORIGIN,
      'cache-control': IMMUTABLE,
      'content-encoding': 'gzip',
    });
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(chunkCode);
    const again = await app.request(`/${CHUNK}`, {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('answers 404 JSON for a chunk name the build did not write, and serves nothing outside the widget folder', async () => {
    const app = assets();
    const missing = await app.request('/commune-feed-sanitize-0000000000.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        status: 404,
        message: 'no widget file "commune-feed-sanitize-0000000000.js": run "npm run build", and reload the page',
      },
    });
    for (const probe of [
      '/commune-feed-..%2Fsecret.js',
      '/commune-feed-%2E%2E/secret.js',
      '/secret.js',
      '/v/1.4.2/..%2F..%2Fsecret.js',
      '/v/1.4.2/commune-feed-..%2F..%2Fsecret.js',
      '/v/..%2F..%2F/commune-feed.js',
    ]) {
      const res = await app.request(probe);
      expect(res.status, probe).toBe(404);
      expect(await res.text(), probe).not.toContain('not for visitors');
    }
  });
});

describe('the versioned widget', () => {
  it('serves /v/<version>/commune-feed.js and its chunks beside it, the same bytes, cached for good', async () => {
    const app = assets();
    for (const [url, code] of [
      ['/v/1.4.2/commune-feed.js', mainCode],
      [`/v/1.4.2/${CHUNK}`, chunkCode],
    ] as const) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(Object.fromEntries(res.headers), url).toMatchObject({ ...CROSS_ORIGIN, 'cache-control': IMMUTABLE });
      expect(await res.text(), url).toBe(code);
    }
  });

  it('answers 404 JSON for any other version, naming the one it has', async () => {
    const res = await assets().request('/v/1.4.1/commune-feed.js');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        status: 404,
        message: 'this server has version 1.4.2 of the widget, not 1.4.1: take the code from its configurator again',
      },
    });
  });

  it('publishes the version and the files’ integrity for the configurator, to any page, cached briefly', async () => {
    const res = await assets().request('/commune-feed.manifest.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(await res.json()).toEqual(manifest);
  });

  it('answers 503 JSON on the versioned URL and the manifest when the build wrote no manifest', async () => {
    const app = assets({ withManifest: false });
    for (const url of ['/v/1.4.2/commune-feed.js', '/commune-feed.manifest.json']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(503);
      expect(await res.json(), url).toEqual({
        error: { status: 503, message: 'the widget is not built: run "npm run build"' },
      });
    }
  });
});
