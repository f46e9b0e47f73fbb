/**
 * Bundle entry of dist/commune-feed.js: defines <commune-feed>.
 *
 * The element (and Lit with it) is evaluated only when the tag is still free.
 * A second copy of the script, loaded from another URL by a CMS, then does
 * nothing at all: not even create Lit's Trusted Types policy, which a strict
 * CSP (`trusted-types lit-html …` without 'allow-duplicates') allows once.
 */
import { TAG_NAME } from './tag-name.js';

export type { FeedMode, FeedTheme } from './commune-feed.js';
export type {
  CommuneFeedErrorDetail,
  CommuneFeedErrorEvent,
  CommuneFeedPauseDetail,
  CommuneFeedPauseEvent,
  CommuneFeedUpdateDetail,
  CommuneFeedUpdateEvent,
  FeedUpdateReason,
} from './events.js';
export type { ConnectionState } from './feed-connection.js';

if (!customElements.get(TAG_NAME)) {
  import('./define.js').catch((error: unknown) => {
    console.error('commune-feed could not start', error);
  });
}
