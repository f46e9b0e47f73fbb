/**
 * Registers <commune-feed>. Safe to run more than once: a town's CMS may load
 * the script twice (or two copies of it), and the first definition wins.
 */
import { CommuneFeed } from './commune-feed.js';
import { TAG_NAME } from './tag-name.js';

/** Defines the element unless the tag is already taken. */
export function defineCommuneFeed(registry: CustomElementRegistry = customElements): void {
  if (!registry.get(TAG_NAME)) registry.define(TAG_NAME, CommuneFeed);
}

defineCommuneFeed();

export { CommuneFeed, TAG_NAME };
