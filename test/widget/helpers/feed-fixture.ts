/** Renders <commune-feed> against fakes: a snapshot server, an event stream, a clock. */
import { fixture, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../../widget/define.js';
import { CommuneFeed } from '../../../widget/commune-feed.js';
import { browserEnvironment } from '../../../widget/feed-connection.js';
import { loadSanitizerChunk } from '../../../widget/sanitizer-loader.js';
import { loadWallChunk } from '../../../widget/wall-loader.js';
import { FakeEventSource, FakeFeedServer, FakeTimers, fakeEnvironment } from './fakes.js';
import { NOW, fixtureSnapshot } from './fixture-feed.js';

export interface FeedHarness {
  server: FakeFeedServer;
  timers: FakeTimers;
}

/** Installs fresh fakes before each test and restores the browser after. */
export function useFakeFeed(): FeedHarness {
  const harness = {} as FeedHarness;
  beforeEach(() => {
    FakeEventSource.reset();
    harness.server = new FakeFeedServer(fixtureSnapshot());
    harness.timers = new FakeTimers(NOW);
    CommuneFeed.environment = fakeEnvironment(harness.server, harness.timers);
  });
  afterEach(() => {
    CommuneFeed.environment = browserEnvironment;
    CommuneFeed.loadSanitizer = loadSanitizerChunk;
    CommuneFeed.loadWall = loadWallChunk;
  });
  return harness;
}

export function shadow(element: Element): ShadowRoot {
  if (!element.shadowRoot) throw new Error('no shadow root');
  return element.shadowRoot;
}

/**
 * Renders the element, waits for the snapshot and opens its event stream; in
 * wall mode, waits for the wall's code too (loaded once per page).
 */
export async function renderLive(template: TemplateResult): Promise<{ element: CommuneFeed; source: FakeEventSource }> {
  const element = await fixture<CommuneFeed>(template);
  await waitUntil(() => FakeEventSource.current, 'the element opens the event stream');
  const source = FakeEventSource.current as FakeEventSource;
  source.open();
  await element.updateComplete;
  if (element.mode === 'wall') {
    await waitUntil(() => !shadow(element).querySelector('[part~="loading"]'), 'the wall mode loads');
  }
  return { element, source };
}

/** Ids of the posts rendered as articles (the ticker's hidden copy excluded). */
export function shownIds(element: CommuneFeed): string[] {
  return [...shadow(element).querySelectorAll('article[data-post-id]')]
    .filter((node) => !node.closest('[aria-hidden="true"]') && !node.closest('blockquote'))
    .map((node) => node.getAttribute('data-post-id') ?? '');
}

export function button(element: CommuneFeed, part: string): HTMLButtonElement {
  const found = shadow(element).querySelector<HTMLButtonElement>(`button[part~="${part}"]`);
  if (!found) throw new Error(`no ${part} button`);
  return found;
}

/** A post's article as shown (the ticker's hidden copy left out). */
export function shownArticle(element: CommuneFeed, id: string): HTMLElement {
  const found = [...shadow(element).querySelectorAll<HTMLElement>('article[data-post-id]')].find(
    (node) => node.dataset.postId === id && !node.closest('[aria-hidden="true"]'),
  );
  if (!found) throw new Error(`no post ${id} on screen`);
  return found;
}
