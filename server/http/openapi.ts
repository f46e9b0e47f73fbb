/**
 * The OpenAPI 3.1 description of the public HTTP API, built from the wire contract's zod schemas
 * (`contract-schema.ts`). `npm run openapi` writes it to docs/openapi.json; a test fails when the
 * committed file differs from what this builds.
 */
import { componentSchemas, SECURITY_SCHEMES, type JsonObject } from './openapi-components.js';
import { openApiPaths } from './openapi-paths.js';

/** The whole document. */
export function buildOpenApi(version: string): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'commune-feed public API',
      version,
      description:
        "What the `<commune-feed>` widget reads, and what any other client may read: the feeds, each feed's snapshot and its live events, and the images of the posts. Every answer is public data; nothing here needs an account. Errors are JSON `ApiError` bodies. The organisers' API (`/api/admin`, behind a session) is not described here.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'https://flux.ville.fr', description: "The town's commune-feed server (an example)." }],
    tags: [
      { name: 'feeds', description: 'Feeds, snapshots, HTML fragments and live events.' },
      { name: 'assets', description: 'The widget bundle (current and versioned) and the images of the posts.' },
      { name: 'pages', description: 'Pages this server renders: the archive of a past event.' },
      { name: 'operations', description: 'Health, and what operators do with their token.' },
    ],
    paths: openApiPaths(),
    components: {
      schemas: componentSchemas(),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
