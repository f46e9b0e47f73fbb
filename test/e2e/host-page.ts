/** A stand-in for the town's website: a page on another origin (another port) that embeds the widget. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  url: string;
  close(): Promise<void>;
}

export function embedSnippet(serverUrl: string, feed: string, attributes = ''): string {
  return `<script type="module" src="${serverUrl}/commune-feed.js"></script>
<commune-feed src="${serverUrl}" feed="${feed}" ${attributes}>
  <p><a href="https://x.com/saint_etienne_">Suivez la Ville sur X</a></p>
</commune-feed>`;
}

/**
 * Serves one HTML page, with the Content-Security-Policy a careful town would set, and any other
 * `headers`. A `body` function is called on each request, as a CMS builds its page (including the
 * feed's HTML fragment).
 */
export async function startHostPage(
  body: string | (() => Promise<string>),
  csp?: string,
  headers: Record<string, string> = {},
): Promise<HostPage> {
  const page = (
    content: string,
  ) => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Ville de test</title></head>
<body><main><h1>Ville de test</h1>${content}</main></body></html>`;
  const server = http.createServer(async (req, res) => {
    if (req.url === '/favicon.ico') {
      // The browser asks for it on its own; a town's site has one.
      res.writeHead(204).end();
      return;
    }
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    const html = page(typeof body === 'string' ? body : await body());
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(csp ? { 'content-security-policy': csp } : {}),
      ...headers,
    });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
