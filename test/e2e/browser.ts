/** Launches Debian's Chromium through playwright-core with the flags this closed network needs. */
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.js';

export { CHROME_PATH };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Collects console errors, uncaught exceptions and CSP violations of a page (call before `goto`).
 * `expected` lets through the console errors a test provokes on purpose.
 */
export function watchErrors(page: Page, expected: (message: ConsoleMessage) => boolean = () => false): string[] {
  const errors: string[] = [];
  // Chromium logs CSP violations to the console too; the event also names the directive.
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || expected(message)) return;
    // A failed load names no resource in its text: the location says which one it was.
    const { url } = message.location();
    errors.push(
      `console: ${message.text()}${url && message.text().startsWith('Failed to load resource') ? ` (${url})` : ''}`,
    );
  });
  return errors;
}
