/** Launches Debian's Chromium through playwright-core with the flags this closed network needs. */
import { chromium, type Browser } from 'playwright-core';
import { CHROME_PATH, CHROMIUM_ARGS } from '../chromium.js';

export { CHROME_PATH };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROMIUM_ARGS });
}
