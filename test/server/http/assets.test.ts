import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAssets } from '../../../server/http/assets.js';
import { tempDir } from '../../helpers/config.js';

/** A built console (dist/admin/console.js) and its page in the demo folder. */
function consoleAssets(options: { built?: boolean } = {}) {
  const dir = tempDir();
  const dist = path.join(dir, 'dist');
  mkdirSync(path.join(dist, 'admin'), { recursive: true });
  mkdirSync(path.join(dir, 'demo', 'admin'), { recursive: true });
  writeFileSync(path.join(dist, 'commune-feed.js'), '/* widget */');
  if (options.built !== false) writeFileSync(path.join(dist, 'admin', 'console.js'), '/* console */');
  writeFileSync(path.join(dir, 'demo', 'admin', 'index.html'), '<!doctype html><title>Console</title>');
  writeFileSync(path.join(dir, 'demo', 'admin', 'admin.css'), 'body{}');
  writeFileSync(path.join(dir, 'demo', 'index.html'), '<!doctype html><title>Ville</title>');
  writeFileSync(path.join(dir, 'secret.js'), 'not for visitors');
  return createAssets({ widgetFile: path.join(dist, 'commune-feed.js'), demoDir: path.join(dir, 'demo') });
}

describe('the console files', () => {
  it('serves the console page at /admin and /admin/, under its own strict policy, never framed', async () => {
    const app = consoleAssets();
    for (const url of ['/admin', '/admin/', '/admin/index.html']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(await res.text(), url).toContain('<title>Console</title>');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp, url).toContain("default-src 'none'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("require-trusted-types-for 'script'");
      expect(csp, url).toContain('trusted-types lit-html dompurify commune-feed');
      expect(csp, url).not.toContain('unsafe-inline');
      expect(res.headers.get('access-control-allow-origin'), url).toBe(null);
      expect(res.headers.get('cross-origin-resource-policy'), url).toBe('same-origin');
      expect(res.headers.get('cache-control'), url).toBe('no-cache');
    }
    // The demo site keeps its own policy.
    const site = await app.request('/');
    expect(site.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });

  it('serves the console script and its stylesheet from the same origin only, revalidated at each visit', async () => {
    const app = consoleAssets();
    const script = await app.request('/admin/console.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toBe('/* console */');
    expect(Object.fromEntries(script.headers)).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'cross-origin-resource-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    });
    expect(script.headers.get('access-control-allow-origin')).toBe(null);
    const again = await app.request('/admin/console.js', { headers: { 'if-none-match': script.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const css = await app.request('/admin/admin.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('says to build the console when it is not built, and serves nothing else under /admin', async () => {
    const missing = await consoleAssets({ built: false }).request('/admin/console.js');
    expect(missing.status).toBe(503);
    expect(await missing.json()).toEqual({
      error: { status: 503, message: 'the console is not built: run "npm run build"' },
    });
    const app = consoleAssets();
    for (const probe of ['/admin/..%2F..%2Fsecret.js', '/admin/%2E%2E/secret.js', '/admin/other.js']) {
      const res = await app.request(probe);
      expect(res.status, probe).toBe(404);
      expect(await res.text(), probe).not.toContain('not for visitors');
    }
  });
});

describe('the demo pages', () => {
  /** The real demo folder, beside a built widget. */
  function demoAssets() {
    const dist = tempDir();
    writeFileSync(path.join(dist, 'commune-feed.js'), 'export {};');
    return createAssets({ widgetFile: path.join(dist, 'commune-feed.js'), demoDir: path.resolve('demo') });
  }

  it('serve the wall’s service worker as a script that browsers check for updates at every visit', async () => {
    const res = await demoAssets().request('/mur-sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain("addEventListener('fetch'");
  });

  it('serve the wall page under a CSP that lets it register its worker, and nothing looser', async () => {
    const res = await demoAssets().request('/mur.html');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).toMatch(/trusted-types [^;]*\bcommune-feed-wall\b/);
    expect(csp).not.toContain('allow-duplicates');
  });
});
