/**
 * The events the console's screens send up to <commune-console>, typed. All
 * bubble and are composed: they cross the screens' shadow roots.
 */
import type { FeedSettings, SignedInUser } from './api-types.js';

export interface ConsoleEventDetails {
  /** Signed in, or the first admin was created. */
  'console-signed-in': { user: SignedInUser };
  /** The organiser chose a feed (feed picker). */
  'console-feed-chosen': { feedId: string };
  /** The organiser asked to create a feed (feed picker, admins). */
  'console-new-feed': Record<string, never>;
  /** A feed was created or its settings or state changed: the list of feeds is out of date. */
  'console-feeds-changed': { feedId: string; settings?: FeedSettings };
}

/** Dispatches one of the console's events from `target`. */
export function fire<K extends keyof ConsoleEventDetails>(
  target: EventTarget,
  name: K,
  detail: ConsoleEventDetails[K],
): void {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'console-signed-in': CustomEvent<ConsoleEventDetails['console-signed-in']>;
    'console-feed-chosen': CustomEvent<ConsoleEventDetails['console-feed-chosen']>;
    'console-new-feed': CustomEvent<ConsoleEventDetails['console-new-feed']>;
    'console-feeds-changed': CustomEvent<ConsoleEventDetails['console-feeds-changed']>;
  }
}
