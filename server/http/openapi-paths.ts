/** The paths of the OpenAPI description of the public HTTP API: each route, its parameters and its answers. */
import { FEED_EVENTS } from '../contract-schema.js';
import { CORS_NOTE, error, feedId, json, ref, refusal, type Json } from './openapi-components.js';

/** The event stream's events, described for readers of the document (`x-events`: event name → data schema). */
function eventsDescription(): { text: string; events: Record<string, Json> } {
  const names = Object.keys(FEED_EVENTS) as (keyof typeof FEED_EVENTS)[];
  const ids: Record<keyof typeof FEED_EVENTS, string> = {
    post: 'Post',
    remove: 'PostRemoval',
    alert: 'AlertChange',
    feed: 'FeedInfo',
    status: 'FeedStatus',
    reset: 'FeedStatus',
  };
  const text = names.map((name) => `- \`${name}\` (data: \`${ids[name]}\`): ${FEED_EVENTS[name].description}`);
  const events: Record<string, Json> = {};
  for (const name of names) events[name] = ref(ids[name]);
  return { text: text.join('\n'), events };
}

/** Every public route, by path. */
export function openApiPaths(): Record<string, Json> {
  const events = eventsDescription();
  return {
    '/api/feeds': {
      get: {
        tags: ['feeds'],
        operationId: 'listFeeds',
        summary: 'The feeds this server shows.',
        responses: { '200': { description: 'The feeds. Cached a minute.', content: json('FeedList') } },
      },
    },
    '/api/feeds/{id}': {
      get: {
        tags: ['feeds'],
        operationId: 'getSnapshot',
        summary: "A feed's current posts, its alert and its state.",
        description: `The snapshot is built once per change and served from memory, compressed (br, gzip) when the client accepts it, with a strong ETag per encoding: poll with \`If-None-Match\`. ${CORS_NOTE}`,
        parameters: [
          feedId,
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'Accept-Encoding', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The snapshot.',
            headers: {
              ETag: { schema: { type: 'string' }, description: 'Strong validator of these bytes.' },
              'Cache-Control': {
                schema: { type: 'string' },
                description: 'public, max-age=2, stale-while-revalidate=30, stale-if-error=86400',
              },
            },
            content: json('FeedSnapshot'),
          },
          '304': { description: 'The client holds the current snapshot.' },
          '404': error('No such feed.'),
        },
      },
    },
    '/api/feeds/{id}.html': {
      get: {
        tags: ['feeds'],
        operationId: 'getFragment',
        summary: "A feed's current posts as an HTML fragment, for a CMS to print inside `<commune-feed>`.",
        description: `Rendered once per change of the feed, compressed (br, gzip) when the client accepts it, with a strong ETag: fetch it with \`If-None-Match\`. Its stylesheet and images come from this server. ${CORS_NOTE}`,
        parameters: [
          feedId,
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: "Posts at most, like the widget's `limit` (default 50).",
            schema: { type: 'integer', minimum: 1 },
          },
          { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['fr', 'en'] } },
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The fragment.',
            headers: {
              ETag: { schema: { type: 'string' }, description: 'Strong validator of these bytes.' },
              'Content-Language': { schema: { type: 'string' } },
            },
            content: { 'text/html': { schema: { type: 'string' } } },
          },
          '304': { description: 'The client holds the current fragment.' },
          '400': error('`limit` is not a whole number from 1.'),
          '404': error('No such feed.'),
          '429': refusal(
            'Too many fragments of new shapes (limits, languages, host names) rendered for this network: try again after `Retry-After` seconds. A fragment already rendered since the last change is never refused.',
          ),
        },
      },
    },
    '/api/feeds/{id}/events': {
      get: {
        tags: ['feeds'],
        operationId: 'streamEvents',
        summary: "A feed's live events (Server-Sent Events).",
        description: `Open it after the snapshot with \`?since=<revision>\`; a reconnecting \`EventSource\` sends \`Last-Event-ID\` by itself. Each event's \`data\` is one JSON document:\n\n${events.text}\n\n${CORS_NOTE}`,
        parameters: [
          feedId,
          {
            name: 'since',
            in: 'query',
            required: false,
            description: 'The `revision` of the snapshot the client holds.',
            schema: { type: 'integer', minimum: 0 },
          },
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description:
              'The stream: `retry:`, the events missed since `since` (or `reset`), `status`, then live events.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          '404': error('No such feed.'),
          '429': refusal('Too many new live streams from this network: try again after `Retry-After` seconds.'),
          '503': refusal(
            'Too many live viewers on this server or from this network: poll the snapshot, try again after `Retry-After` seconds.',
          ),
        },
        'x-events': events.events,
      },
    },
    '/api/feeds/{id}/resume': {
      post: {
        tags: ['operations'],
        operationId: 'resumeFeed',
        summary: "Resumes a feed's paused source (after X's usage cap, for example).",
        security: [{ operatorToken: [] }],
        parameters: [feedId],
        responses: {
          '200': {
            description: 'Resumed.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { resumed: { type: 'string' } }, required: ['resumed'] },
              },
            },
          },
          '401': error('Wrong token.'),
          '403': error('No token, or no `ADMIN_TOKEN` set on the server.'),
          '404': error('No such feed.'),
        },
      },
    },
    '/api/health': {
      get: {
        tags: ['operations'],
        operationId: 'health',
        summary: "Each feed's source state, times and counts; with the operator token, what upstream said.",
        security: [{}, { operatorToken: [] }],
        responses: {
          '200': {
            description: 'The health report (never cached).',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '401': error('Wrong token.'),
        },
      },
    },
    '/api/live': {
      get: {
        tags: ['operations'],
        operationId: 'live',
        summary: 'Liveness: the process answers.',
        responses: {
          '200': {
            description: 'Alive (never cached).',
            content: { 'application/json': { schema: { type: 'object', properties: { live: { const: true } } } } },
          },
        },
      },
    },
    '/api/ready': {
      get: {
        tags: ['operations'],
        operationId: 'ready',
        summary:
          'Readiness: the instance serves every feed of its config file (with `REDIS_URL`, once it caught up with the change log).',
        responses: {
          '200': {
            description: 'Ready; the body says `{ready, role, redis, …}` (never cached).',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '503': {
            description: 'Not ready yet: send no traffic to this instance.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/media/{host}/{path}': {
      get: {
        tags: ['assets'],
        operationId: 'getImage',
        summary: 'An image of a post on display, fetched once from the network and served from this server.',
        parameters: [
          { name: 'host', in: 'path', required: true, schema: { type: 'string' }, example: 'pbs.twimg.com' },
          { name: 'path', in: 'path', required: true, schema: { type: 'string' }, example: 'media/abc.jpg' },
        ],
        responses: {
          '200': {
            description: 'The image.',
            content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
          },
          '304': { description: 'The client holds it.' },
          '404': error('No post on display shows this image.'),
          '429': refusal(
            'Too many images fetched for the first time from this network: try again after `Retry-After` seconds.',
          ),
        },
      },
    },
    '/commune-feed.js': {
      get: {
        tags: ['assets'],
        operationId: 'getWidget',
        summary: 'The widget, one ES module.',
        responses: {
          '200': { description: 'The bundle.', content: { 'text/javascript': { schema: { type: 'string' } } } },
          '503': error('The widget is not built.'),
        },
      },
    },
    '/v/{version}/{file}': {
      get: {
        tags: ['assets'],
        operationId: 'getVersionedWidgetFile',
        summary: 'A file of one version of the widget, at the URL a snippet with `integrity` (SRI) points at.',
        description: 'Cached for good (`immutable`). Only the version this server runs is served.',
        parameters: [
          { name: 'version', in: 'path', required: true, schema: { type: 'string' }, example: '1.0.0' },
          {
            name: 'file',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^commune-feed(-[A-Za-z0-9_-]+)?\\.js$' },
            example: 'commune-feed.js',
          },
        ],
        responses: {
          '200': { description: 'The file.', content: { 'text/javascript': { schema: { type: 'string' } } } },
          '404': error('Another version, or no such file.'),
          '503': error('The widget is not built.'),
        },
      },
    },
    '/commune-feed.manifest.json': {
      get: {
        tags: ['assets'],
        operationId: 'getWidgetManifest',
        summary: "The widget's version and each file's `integrity`, for a snippet with Subresource Integrity.",
        responses: {
          '200': {
            description: 'The manifest.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    version: { type: 'string' },
                    main: { type: 'object' },
                    chunks: { type: 'object' },
                  },
                  required: ['version', 'main', 'chunks'],
                },
              },
            },
          },
          '503': error('The widget is not built.'),
        },
      },
    },
    '/archive/{id}': {
      get: {
        tags: ['pages'],
        operationId: 'getArchivePage',
        summary: "An archived feed's page: the event's figures and its posts, static HTML.",
        parameters: [
          feedId,
          { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['fr', 'en'] } },
        ],
        responses: {
          '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
          '304': { description: 'The client holds it.' },
          '404': error('No archive for this feed (unknown, or not archived).'),
        },
      },
    },
  };
}
