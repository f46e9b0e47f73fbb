/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { CommuneConsole } from '../../../widget/console/commune-console.js';
import { axeViolations } from '../helpers/axe.js';
import { announcement } from '../helpers/fixture-feed.js';
import {
  NOW,
  inside,
  queueItem,
  renderConsole,
  sampleQueue,
  shadowOf,
  signIn,
  sourceHealth,
  useConsoleBench,
} from './helpers/console-fixture.js';
import { adminHealth } from './helpers/fake-admin-api.js';

const bench = useConsoleBench();

/** Each screen, and what shows it is loaded. */
const SCREENS: [string, string][] = [
  ['feeds', 'console-feed-picker'],
  ['new-feed', 'console-settings'],
  ['queue', 'console-queue'],
  ['announcements', 'console-announcements'],
  ['alert', 'console-alert'],
  ['audit', 'console-audit'],
  ['settings', 'console-settings'],
  ['sources', 'console-sources'],
  ['users', 'console-users'],
];

/** What a screen shows once its data is in. */
const LOADED: Record<string, string> = {
  'console-queue': 'li[data-post-id]',
  'console-announcements': '.list li',
  'console-alert': '.current .banner',
  'console-audit': 'li[data-audit-id]',
  'console-sources': 'li.source',
  'console-users': 'li[data-username]',
  'console-feed-picker': 'li',
  'console-settings': 'form',
};

function withData(): void {
  signIn(bench);
  bench.api.queues.set('saint-etienne', [...sampleQueue(), queueItem(announcement, { reason: 'organiser' })]);
  bench.api.alert = {
    id: 'a1',
    text: 'Orage : le site est évacué',
    createdAt: new Date(NOW).toISOString(),
    lang: 'fr',
  };
  bench.api.audit = [
    {
      id: 1,
      at: new Date(NOW).toISOString(),
      actor: 'marie',
      action: 'hide',
      postId: '1003',
      reason: 'insulte',
      summary: 'Publication masquée',
      undoneBy: null,
      undoable: true,
    },
  ];
  bench.api.health = adminHealth(
    [
      sourceHealth({
        source: 'x',
        stale: true,
        lastSuccessAt: new Date(NOW - 60_000).toISOString(),
        lastError: { at: new Date(NOW).toISOString(), state: 'unavailable', message: '503' },
        details: {
          state: 'unavailable',
          rateLimits: { search: { limit: 450, remaining: 3, resetAt: new Date(NOW).toISOString() } },
        },
        monthReads: { posts: 10, users: 2, costUsd: 0.07 },
      }),
    ],
    {
      month: { posts: 10, users: 2, costUsd: 0.07 },
      budget: null,
      prices: { postRead: 0.005, userRead: 0.01 },
    },
  );
}

async function open(element: CommuneConsole, screen: string, tag: string): Promise<Element> {
  location.hash = `#/${screen}`;
  const view = await inside(element, `main ${tag}`);
  await inside(view, LOADED[tag]!);
  return view;
}

/** No violation, and nothing wider than the screen. */
async function check(element: CommuneConsole, what: string): Promise<void> {
  expect(await axeViolations(element), `axe on ${what}`).to.deep.equal([]);
  expect(document.documentElement.scrollWidth, `horizontal scroll on ${what}`).to.be.at.most(window.innerWidth);
}

for (const scheme of ['light', 'dark'] as const) {
  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    describe(`the console at ${width} px, ${scheme}`, () => {
      before(async () => {
        await setViewport({ width, height });
        await emulateMedia({ colorScheme: scheme });
      });
      after(async () => {
        await setViewport({ width: 800, height: 600 });
        await emulateMedia({ colorScheme: 'light' });
      });

      it("has no axe violation on sign-in, nor on the first admin's form", async () => {
        const element = await renderConsole();
        await inside(shadowOf(element).querySelector('console-sign-in')!, 'form');
        await check(element, 'sign-in');
        element.remove();
        bench.api.setupStatus = { needsFirstAdmin: true, tokenConfigured: true };
        const setup = await renderConsole();
        await inside(shadowOf(setup).querySelector('console-sign-in')!, '#token');
        await check(setup, 'setup');
      });

      it('has no axe violation on any screen', async () => {
        withData();
        const element = await renderConsole();
        for (const [screen, tag] of SCREENS) {
          await open(element, screen, tag);
          await check(element, screen);
        }
      });

      it('has no axe violation with the snackbar, the "Plus" menu, and the confirmation open', async () => {
        withData();
        const element = await renderConsole();
        const queue = await open(element, 'queue', 'console-queue');
        shadowOf(queue).querySelector<HTMLButtonElement>('button[data-action="hide"]')!.click();
        const snackbar = shadowOf(queue).querySelector('console-snackbar')!;
        await inside(snackbar, 'button.action');
        await check(element, 'the snackbar');
        if (width < 960) {
          shadowOf(element).querySelector<HTMLButtonElement>('button.more')!.click();
          await waitUntil(() => !shadowOf(element).querySelector<HTMLElement>('#more-menu')!.hidden);
          await check(element, 'the "Plus" menu');
          shadowOf(element).querySelector<HTMLButtonElement>('button.more')!.click();
        }
        const alert = await open(element, 'alert', 'console-alert');
        const text = shadowOf(alert).querySelector<HTMLTextAreaElement>('#text')!;
        text.value = 'Orage';
        text.dispatchEvent(new Event('input'));
        shadowOf(alert).querySelector<HTMLButtonElement>('button.raise')!.click();
        await inside(shadowOf(alert).querySelector('console-confirm')!, 'dialog[open]');
        await check(element, 'the confirmation');
      });
    });
  }
}

describe('the console on a phone', () => {
  before(() => setViewport({ width: 390, height: 844 }));
  after(() => setViewport({ width: 800, height: 600 }));

  it('gives every control a target of at least 44 by 44 px (checkboxes and radios through their label)', async () => {
    withData();
    const element = await renderConsole();
    const small: string[] = [];
    for (const [screen, tag] of SCREENS) {
      const view = await open(element, screen, tag);
      const roots = [shadowOf(element), shadowOf(view)];
      for (const root of roots) {
        for (const control of root.querySelectorAll<HTMLElement>('button, a[href], select, input, textarea')) {
          const target = control.matches('input[type="checkbox"], input[type="radio"]')
            ? (control.closest('label') as HTMLElement)
            : control;
          const box = target.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue; // not shown
          if (
            target.closest(
              '.visually-hidden, .skip, [part~="time"], [part~="handle"], [part~="entity"], [part~="source-link"], .text',
            )
          )
            continue;
          if (box.height < 44 || box.width < 44)
            small.push(`${screen}: ${target.outerHTML.slice(0, 80)} ${box.width}×${box.height}`);
        }
      }
    }
    expect(small).to.deep.equal([]);
  });
});
