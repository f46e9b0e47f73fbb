/**
 * Registers the console's elements. Safe to run more than once: a tag already
 * defined is left as it is.
 */
import { CommuneConsole } from './commune-console.js';
import { ConsoleAlert } from './console-alert.js';
import { ConsoleAnnouncements } from './console-announcements.js';
import { ConsoleAudit } from './console-audit.js';
import { ConsoleConfirm } from './console-confirm.js';
import { ConsoleFeedPicker } from './console-feed-picker.js';
import { ConsoleQueue } from './console-queue.js';
import { ConsoleSettings } from './console-settings.js';
import { ConsoleSignIn } from './console-sign-in.js';
import { ConsoleSnackbar } from './console-snackbar.js';
import { ConsoleSources } from './console-sources.js';
import { ConsoleUsers } from './console-users.js';

/** Every element of the console, by tag name. */
export const CONSOLE_ELEMENTS: Record<string, CustomElementConstructor> = {
  'commune-console': CommuneConsole,
  'console-alert': ConsoleAlert,
  'console-announcements': ConsoleAnnouncements,
  'console-audit': ConsoleAudit,
  'console-confirm': ConsoleConfirm,
  'console-feed-picker': ConsoleFeedPicker,
  'console-queue': ConsoleQueue,
  'console-settings': ConsoleSettings,
  'console-sign-in': ConsoleSignIn,
  'console-snackbar': ConsoleSnackbar,
  'console-sources': ConsoleSources,
  'console-users': ConsoleUsers,
};

/** Defines every element of the console whose tag is still free. */
export function defineConsole(registry: CustomElementRegistry = customElements): void {
  for (const [name, element] of Object.entries(CONSOLE_ELEMENTS)) {
    if (!registry.get(name)) registry.define(name, element);
  }
}

defineConsole();
