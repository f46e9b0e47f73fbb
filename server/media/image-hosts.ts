/**
 * The hosts the media proxy fetches images from, derived once per change of the feeds (written
 * here or reloaded from another instance) rather than on each visitor's request.
 */
import type { FeedRegistry } from '../feeds/registry.js';
import { imageHostsOf } from '../sources/index.js';

/** Follows the registry's feeds; returns whether a host is one of their image hosts. */
export function followImageHosts(registry: Pick<FeedRegistry, 'list' | 'listen'>): (host: string) => boolean {
  const derive = () => imageHostsOf(registry.list().map((record) => record.settings));
  let hosts = derive();
  registry.listen(() => {
    hosts = derive();
  });
  return function isImageHost(host) {
    return hosts.has(host);
  };
}
