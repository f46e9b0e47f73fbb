/**
 * docs/configuration.md lists every key of the config file's schema and every environment
 * variable the server reads, so that the reference cannot fall behind the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { configFileSchema, parseConfigFile } from '../../server/config.js';

const doc = readFileSync('docs/configuration.md', 'utf8');
/** Everything the doc writes as code: `PORT`, `feeds[].display.languages`… */
const documented = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every key path of a schema: `feeds`, `feeds[].id`, `feeds[].display.languages`… */
function keyPaths(schema: z.ZodType, prefix = ''): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape!).flatMap(([key, value]) => {
        const here = prefix ? `${prefix}.${key}` : key;
        return [here, ...keyPaths(value, here)];
      });
    case 'array':
      return keyPaths(def.element!, `${prefix}[]`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return keyPaths(def.innerType!, prefix);
    case 'pipe':
      return keyPaths(def.in!, prefix);
    default:
      return [];
  }
}

/** The server's modules that can run: those `commune-feed` imports, statically or not, from its entry on. */
function runningModules(entry = 'server/cli/commune-feed.ts'): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      const target = path.join(path.dirname(file), `${specifier!}.ts`);
      if (existsSync(target)) queue.push(target);
    }
  }
  return [...seen];
}

/** The environment variables those modules read. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of runningModules()) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|\benv\[?\s*,?\s*'([A-Z][A-Z0-9_]+)'/g)) {
      names.add((m[1] ?? m[2])!);
    }
  }
  return [...names].sort();
}

describe('the configuration reference', () => {
  it('finds the keys of the schema and the variables of the code it checks', () => {
    const keys = keyPaths(configFileSchema);
    expect(keys).toEqual(expect.arrayContaining(['feeds', 'feeds[].moderation.blockedTerms', 'x.recheckHours']));
    expect(variablesRead()).toEqual(expect.arrayContaining(['PORT', 'LOG_FORMAT', 'X_BEARER_TOKEN', 'ADMIN_TOKEN']));
  });

  it('documents every key of the config file, by its path', () => {
    const missing = keyPaths(configFileSchema).filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });

  it('documents every environment variable the server reads', () => {
    const missing = variablesRead().filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('gives a valid example', () => {
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(() => parseConfigFile(example, 'docs')).not.toThrow();
  });
});
