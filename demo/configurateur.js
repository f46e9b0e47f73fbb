/**
 * The embed configurator: a form → a live <commune-feed> preview and the code
 * a webmaster pastes. Plain ES module, no build step. The page runs under a
 * strict CSP with Trusted Types, so every node is built with createElement and
 * textContent, and styles go through the CSSOM (style.setProperty).
 */

import { startSourcesPanel } from './configurateur-sources.js';

/** The widget's defaults: attributes equal to these stay out of the snippet. */
const DEFAULTS = { mode: 'list', lang: 'fr', theme: 'light', limit: 50, speed: 60, interval: 8 };

/** Background of each theme, to warn about an accent colour that would be hard to read. */
const THEME_BACKGROUNDS = { light: ['#ffffff'], dark: ['#15171b'], auto: ['#ffffff', '#15171b'] };

/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;

const form = /** @type {HTMLFormElement} */ (document.getElementById('configurateur'));
const serverInput = /** @type {HTMLInputElement} */ (document.getElementById('cf-server'));
const feedSelect = /** @type {HTMLSelectElement} */ (document.getElementById('cf-feed'));
const feedStatus = /** @type {HTMLElement} */ (document.getElementById('cf-feed-status'));
const accentToggle = /** @type {HTMLInputElement} */ (document.getElementById('cf-accent-on'));
const accentInput = /** @type {HTMLInputElement} */ (document.getElementById('cf-accent'));
const accentContrast = /** @type {HTMLElement} */ (document.getElementById('cf-accent-contrast'));
const previewBox = /** @type {HTMLElement} */ (document.getElementById('cf-preview'));
const previewNote = /** @type {HTMLElement} */ (document.getElementById('cf-preview-note'));
const snippetCode = /** @type {HTMLElement} */ (document.getElementById('cf-snippet'));
const cspCode = /** @type {HTMLElement} */ (document.getElementById('cf-csp'));

/** @type {{ id: string, title: string, hashtags: string[], accounts: string[] }[]} */
let feeds = [];
/** The preview: created once, then only its attributes and styles change. */
let preview;
/** Last valid server address, kept while the field holds a mistake. */
let lastServer = location.origin;
/**
 * This server's build of the widget (`/commune-feed.manifest.json`): its
 * version and the sha384 of its main file, for a snippet with Subresource
 * Integrity; undefined until read, or if it cannot be.
 * @type {{ version: string, main: { integrity: string } } | undefined}
 */
let widgetBuild;

// ---------------------------------------------------------------- reading the form

/** The server's address without a trailing slash, or an error message. */
function parseServer(raw) {
  const value = raw.trim();
  if (!value) return { error: 'Indiquez l’adresse du serveur, par exemple https://flux.ma-commune.fr.' };
  let url;
  try {
    url = new URL(value);
  } catch {
    return { error: 'Adresse invalide : elle doit commencer par https:// (ou http://).' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: 'Adresse invalide : elle doit commencer par https:// (ou http://).' };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { error: 'Indiquez seulement l’adresse du serveur, sans « ? », « # » ni identifiants.' };
  }
  return { value: (url.origin + url.pathname).replace(/\/+$/, '') };
}

/** A whole number within the field's min and max, '' when empty, or an error. */
function readNumber(input) {
  const text = input.value.trim();
  if (text === '') return { value: '' };
  const number = Number(text);
  const min = Number(input.min);
  const max = Number(input.max);
  if (!Number.isInteger(number) || number < min || number > max) {
    return { error: `Saisissez un nombre entier de ${min} à ${max}.` };
  }
  return { value: number };
}

function showError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (!error) return;
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function checked(name) {
  const input = form.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : DEFAULTS[name];
}

/** Everything the form says, valid values only. */
function readSettings() {
  const server = parseServer(serverInput.value);
  showError(serverInput, server.error);
  if (server.value) lastServer = server.value;

  const numbers = {};
  for (const name of ['limit', 'speed', 'interval', 'radius']) {
    const input = form.elements.namedItem(name);
    const result = readNumber(input);
    showError(input, result.error);
    numbers[name] = result.error ? '' : result.value;
  }

  return {
    server: lastServer,
    feed: feedSelect.value,
    mode: checked('mode'),
    lang: checked('lang'),
    theme: checked('theme'),
    limit: numbers.limit,
    speed: numbers.speed,
    interval: numbers.interval,
    timeZone: form.elements.namedItem('timeZone').value,
    accent: accentToggle.checked ? accentInput.value : '',
    font: form.elements.namedItem('font').value,
    radius: numbers.radius,
  };
}

// ---------------------------------------------------------------- what the settings mean

/** The element's attributes that differ from the widget's defaults, in reading order. */
function featureAttributes(settings) {
  const attributes = [];
  if (settings.mode !== DEFAULTS.mode) attributes.push(['mode', settings.mode]);
  if (settings.lang !== DEFAULTS.lang) attributes.push(['lang', settings.lang]);
  if (settings.theme !== DEFAULTS.theme) attributes.push(['theme', settings.theme]);
  if (settings.limit !== '' && settings.limit !== DEFAULTS.limit) attributes.push(['limit', String(settings.limit)]);
  if (settings.mode === 'ticker' && settings.speed !== '' && settings.speed !== DEFAULTS.speed) {
    attributes.push(['speed', String(settings.speed)]);
  }
  if (settings.mode === 'wall' && settings.interval !== '' && settings.interval !== DEFAULTS.interval) {
    attributes.push(['interval', String(settings.interval)]);
  }
  if (settings.timeZone) attributes.push(['time-zone', settings.timeZone]);
  return attributes;
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The custom properties the settings ask for, `--commune-feed-*` → value. */
function customProperties(settings) {
  const properties = [];
  if (settings.accent) {
    const onAccent =
      contrast(settings.accent, '#ffffff') >= contrast(settings.accent, '#1b1d21') ? '#ffffff' : '#1b1d21';
    properties.push(
      ['--commune-feed-accent-color', settings.accent],
      ['--commune-feed-accent-text-color', onAccent],
      ['--commune-feed-link-color', settings.accent],
      ['--commune-feed-focus-color', settings.accent],
    );
  }
  if (settings.font) properties.push(['--commune-feed-font-family', settings.font]);
  if (settings.radius !== '') properties.push(['--commune-feed-radius', `${settings.radius}px`]);
  return properties;
}

/** Escapes text for an HTML attribute value between double quotes, or for element content. */
function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An account's profile and network, from how its handle reads: `ville@instance`, `ville.bsky.social` or `ville`. */
function profileOf(account) {
  const mastodon = /^([A-Za-z0-9_]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(account);
  if (mastodon) return { href: `https://${mastodon[2]}/@${mastodon[1]}`, network: 'Mastodon' };
  if (account.includes('.'))
    return { href: `https://bsky.app/profile/${encodeURIComponent(account)}`, network: 'Bluesky' };
  return { href: `https://x.com/${encodeURIComponent(account)}`, network: 'X' };
}

/** What shows before the widget starts, or without JavaScript: a link to the feed's first account, on its network. */
function fallbackLink(feed, lang) {
  if (!feed) return undefined;
  const account = feed.accounts[0]?.replace(/^@/, '');
  const hashtag = feed.hashtags[0]?.replace(/^#/, '');
  if (account) {
    const { href, network } = profileOf(account);
    const label = lang === 'en' ? `Follow @${account} on ${network}` : `Suivez @${account} sur ${network}`;
    return { href, label };
  }
  if (hashtag) {
    const label = lang === 'en' ? `Follow #${hashtag} on X` : `Suivez #${hashtag} sur X`;
    return { href: `https://x.com/hashtag/${encodeURIComponent(hashtag)}`, label };
  }
  return undefined;
}

/**
 * The script tag: the versioned URL of this server's build, which never
 * changes, with its `integrity` (the browser refuses a file whose bytes
 * differ; the file checks the ones it loads later itself) and `crossorigin`,
 * which integrity needs across origins. Without the build's manifest, the
 * short alias, which always serves the server's current version.
 */
function scriptTag(server) {
  if (!widgetBuild) return `<script type="module" src="${escapeHtml(server)}/commune-feed.js"></script>`;
  const src = `${server}/v/${encodeURIComponent(widgetBuild.version)}/commune-feed.js`;
  return `<script type="module" src="${escapeHtml(src)}" integrity="${escapeHtml(widgetBuild.main.integrity)}" crossorigin="anonymous"></script>`;
}

/** The copy-paste code: the script, the element with its non-default attributes, and a style block if needed. */
function buildSnippet(settings) {
  const attributes = [['src', settings.server], ['feed', settings.feed], ...featureAttributes(settings)];
  const rendered = attributes.map(([name, value]) => `${name}="${escapeHtml(value)}"`);
  const oneLine = `<commune-feed ${rendered.join(' ')}>`;
  const openTag = oneLine.length <= 90 ? oneLine : `<commune-feed\n  ${rendered.join('\n  ')}\n>`;
  const lines = [scriptTag(settings.server), openTag];
  const link = fallbackLink(
    feeds.find((feed) => feed.id === settings.feed),
    settings.lang,
  );
  if (link) lines.push(`  <p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`);
  lines.push('</commune-feed>');
  const properties = customProperties(settings);
  if (properties.length > 0) {
    lines.push('<style>', '  commune-feed {');
    for (const [name, value] of properties) lines.push(`    ${name}: ${value};`);
    lines.push('  }', '</style>');
  }
  return lines.join('\n');
}

/** The Content-Security-Policy directives the embedding site needs. */
function buildCsp(settings) {
  const origin = new URL(settings.server).origin;
  return [`script-src 'self' ${origin};`, `connect-src 'self' ${origin};`, `img-src 'self' ${origin};`].join('\n');
}

// ---------------------------------------------------------------- the page

/** The preview widget, made once: later changes only set attributes and styles. */
function createPreview(settings) {
  const element = document.createElement('commune-feed');
  element.setAttribute('feed', settings.feed);
  // Fallback content, as on a real site, until the element upgrades.
  const fallback = document.createElement('p');
  fallback.textContent = 'Chargement de l’aperçu…';
  element.append(fallback);
  previewBox.replaceChildren(element);
  return element;
}

/** Previously applied custom properties, to remove those no longer asked for. */
let appliedProperties = [];

function updatePreview(settings) {
  if (!settings.feed) return;
  preview ??= createPreview(settings);
  // The preview always reads this page's own server (the page's CSP allows no other):
  // `src` stays empty. The snippet carries the address typed in the form. The preview
  // spells out every attribute, defaults included, so that nothing lingers from before.
  const wanted = {
    feed: settings.feed,
    mode: settings.mode,
    lang: settings.lang,
    theme: settings.theme,
    limit: String(settings.limit === '' ? DEFAULTS.limit : settings.limit),
    speed: String(settings.speed === '' ? DEFAULTS.speed : settings.speed),
    interval: String(settings.interval === '' ? DEFAULTS.interval : settings.interval),
  };
  for (const [name, value] of Object.entries(wanted)) {
    if (preview.getAttribute(name) !== value) preview.setAttribute(name, value);
  }
  if (settings.timeZone) preview.setAttribute('time-zone', settings.timeZone);
  else preview.removeAttribute('time-zone');

  const properties = customProperties(settings);
  for (const name of appliedProperties) {
    if (!properties.some(([wantedName]) => wantedName === name)) preview.style.removeProperty(name);
  }
  for (const [name, value] of properties) preview.style.setProperty(name, value);
  appliedProperties = properties.map(([name]) => name);
  previewBox.dataset.mode = settings.mode;
}

function updatePreviewNote(settings) {
  const here = location.origin;
  let note =
    new URL(settings.server).origin === here
      ? `L’aperçu lit les publications de ce serveur (${here}).`
      : `L’aperçu lit les publications de ce serveur (${here}) ; le code utilise l’adresse indiquée (${settings.server}).`;
  if (settings.mode === 'wall') note += ' Le mur est réduit ici : en plein écran, le texte suit la taille de l’écran.';
  setText(previewNote, note);
}

/** Changes a text only when it differs, so that a live region does not repeat itself. */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function updateAccentContrast(settings) {
  if (!settings.accent) {
    accentContrast.classList.remove('hint--warning');
    setText(accentContrast, 'Couleur du thème choisi (par défaut).');
    return;
  }
  const ratio = Math.min(...THEME_BACKGROUNDS[settings.theme].map((bg) => contrast(settings.accent, bg)));
  const shown = ratio.toFixed(1).replace('.', ',');
  accentContrast.classList.toggle('hint--warning', ratio < MIN_CONTRAST);
  const advice =
    settings.theme === 'auto'
      ? 'Avec le thème automatique, la couleur doit se lire sur fond clair comme sur fond sombre : choisissez plutôt un thème fixe.'
      : `Choisissez une couleur plus ${settings.theme === 'dark' ? 'claire' : 'foncée'}.`;
  setText(
    accentContrast,
    ratio >= MIN_CONTRAST
      ? `Contraste avec le fond : ${shown}:1, suffisant.`
      : `Contraste avec le fond : ${shown}:1, insuffisant (4,5:1 au moins) : les liens seraient difficiles à lire. ${advice}`,
  );
}

/** Shows only the settings of the chosen mode (speed for the ticker, rotation for the wall). */
function showModeFields(mode) {
  for (const field of form.querySelectorAll('[data-mode]')) field.hidden = field.dataset.mode !== mode;
}

function refresh() {
  const settings = readSettings();
  showModeFields(settings.mode);
  updateAccentContrast(settings);
  if (!settings.feed) return;
  updatePreview(settings);
  updatePreviewNote(settings);
  setText(snippetCode, buildSnippet(settings));
  setText(cspCode, buildCsp(settings));
  refreshSources();
}

/** Reads this server's build of the widget, for the snippet's versioned URL and integrity. */
async function loadWidgetBuild() {
  try {
    const response = await fetch('/commune-feed.manifest.json', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    if (typeof body?.version !== 'string' || !/^sha384-[A-Za-z0-9+/=]+$/.test(body?.main?.integrity ?? '')) {
      throw new Error('not a widget manifest');
    }
    widgetBuild = body;
  } catch {
    // The snippet keeps the short alias, without integrity.
    widgetBuild = undefined;
  }
}

async function loadFeeds() {
  try {
    const response = await fetch('/api/feeds', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    feeds = Array.isArray(body.feeds) ? body.feeds : [];
  } catch {
    feeds = [];
    feedSelect.replaceChildren(new Option('Aucun flux disponible', ''));
    feedStatus.textContent = 'La liste des flux n’a pas pu être lue sur ce serveur. Rechargez la page pour réessayer.';
    return;
  }
  if (feeds.length === 0) {
    feedSelect.replaceChildren(new Option('Aucun flux configuré', ''));
    feedStatus.textContent = 'Ce serveur ne déclare aucun flux : ajoutez-en dans son fichier de configuration.';
    return;
  }
  feedSelect.replaceChildren(...feeds.map((feed) => new Option(`${feed.title} (${feed.id})`, feed.id)));
  feedStatus.textContent = feeds.length === 1 ? '1 flux sur ce serveur.' : `${feeds.length} flux sur ce serveur.`;
  refresh();
}

// ---------------------------------------------------------------- copying

/** Selects the code so that the visitor can copy it by hand. */
function selectCode(code) {
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/** Sets a polite status message; emptied first so that the same words are announced again. */
function announce(region, message) {
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 100);
}

async function copyCode(button) {
  const code = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.status);
  if (!code || !status) return;
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(code.textContent ?? '');
    announce(status, button.dataset.copied ?? 'Copié');
  } catch {
    selectCode(code);
    announce(status, 'Le navigateur a refusé la copie : le code est sélectionné, copiez-le avec Ctrl+C (⌘+C sur Mac).');
  }
}

// ---------------------------------------------------------------- start

serverInput.value = location.origin;
accentInput.addEventListener('input', () => {
  accentToggle.checked = true;
});
form.addEventListener('input', refresh);
form.addEventListener('change', refresh);
form.addEventListener('submit', (event) => event.preventDefault());
document.getElementById('cf-reset-style')?.addEventListener('click', () => {
  accentToggle.checked = false;
  accentInput.value = '#1a6b3c';
  form.elements.namedItem('font').value = '';
  form.elements.namedItem('radius').value = '';
  refresh();
});
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', () => void copyCode(button));
}
const refreshSources = startSourcesPanel(() => feeds.find((feed) => feed.id === feedSelect.value));
showModeFields(checked('mode'));
updateAccentContrast(readSettings());
void loadWidgetBuild().then(loadFeeds);
