/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConsoleAnnouncements } from '../../../widget/console/console-announcements.js';
import { announcement } from '../helpers/fixture-feed.js';
import { inside, queueItem, shadowOf, signIn, useConsoleBench } from './helpers/console-fixture.js';

// Run under `require-trusted-types-for 'script'` (the console page's policy): the preview and
// the editing of an announcement go through the widget's sanitizer and its `commune-feed` policy.

const bench = useConsoleBench();

describe('announcements in the console, under Trusted Types', () => {
  it('preview and edit formatted announcements with no Trusted Types violation', async () => {
    const violations: string[] = [];
    const record = (event: SecurityPolicyViolationEvent) =>
      violations.push(`${event.effectiveDirective} ${event.sample}`);
    document.addEventListener('securitypolicyviolation', record);
    try {
      signIn(bench);
      bench.api.queues.set('saint-etienne', [queueItem(announcement, { reason: 'organiser' })]);
      const element = await fixture<ConsoleAnnouncements>(
        html`<console-announcements .api=${bench.client} .environment=${bench.environment} feed-id="saint-etienne"></console-announcements>`,
      );
      const listed = await inside(element, `.list li[data-post-id="${announcement.id}"]`);
      expect(listed.querySelector('[part~="text"] strong')!.textContent).to.equal('22 h 30');
      const markup = shadowOf(element).querySelector<HTMLTextAreaElement>('#markup')!;
      markup.value = 'Buvette **ouverte** [horaires](https://ville.example/buvette)';
      markup.dispatchEvent(new Event('input'));
      await element.updateComplete;
      const preview = shadowOf(element).querySelector('.preview [part~="text"]')!;
      expect(preview.querySelector('strong')!.textContent).to.equal('ouverte');
      expect(preview.querySelector('a')!.getAttribute('href')).to.equal('https://ville.example/buvette');
      listed.querySelector<HTMLButtonElement>('button')!.click();
      await waitUntil(() => markup.value.startsWith('Feu d’artifice à **22 h 30**'));
      expect(violations).to.deep.equal([]);
    } finally {
      document.removeEventListener('securitypolicyviolation', record);
    }
  });
});
