/**
 * Writes docs/openapi.json, the OpenAPI 3.1 description of the public HTTP API, from the wire
 * contract's zod schemas (server/http/openapi.ts). Run by `npm run openapi`; a test fails when
 * the committed file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { buildOpenApi } from '../server/http/openapi.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OPENAPI_FILE = path.join(ROOT, 'docs', 'openapi.json');

const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const text = JSON.stringify(buildOpenApi(version), null, 2);
const options = (await prettier.resolveConfig(OPENAPI_FILE)) ?? {};
writeFileSync(OPENAPI_FILE, await prettier.format(text, { ...options, filepath: OPENAPI_FILE }));
console.log(`wrote ${path.relative(ROOT, OPENAPI_FILE)}`);
