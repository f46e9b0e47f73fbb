/** A source's persistent state kept in memory, as the store gives it: JSON values, written through. */
import type { SourceState } from '../../server/sources/source.js';

export function memoryState(): SourceState & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: <T>(key: string) => (data.has(key) ? (JSON.parse(data.get(key)!) as T) : undefined),
    set: (key, value) => {
      data.set(key, JSON.stringify(value ?? null));
    },
  };
}
