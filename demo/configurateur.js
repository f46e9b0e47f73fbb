/**
 * The embed configurator: a form → a live <commune-feed> preview and the code
 * a webmaster pastes. Plain ES modules, no build step: this page's wiring
 * (the preview, the server's feeds and build, copying) here; the form in
 * configurateur-form.js, the code writer in configurateur-snippet.js, the
 * "Réseaux du flux" panel in configurateur-sources.js. The page runs under a
 * strict CSP with Trusted Types, so every node is built with createElement and
 * textContent, and styles go through the CSSOM (style.setProperty).
 */

import {
  checked,
  feedSelect,
  readSettings,
  setText,
  showModeFields,
  startForm,
  updateAccentContrast,
} from './configurateur-form.js';
import { buildCsp, buildSnippet, customProperties, DEFAULTS } from './configurateur-snippet.js';
import { startSourcesPanel } from './configurateur-sources.js';

const feedStatus = /** @type {HTMLElement} */ (document.getElementById('cf-feed-status'));
const previewBox = /** @type {HTMLElement} */ (document.getElementById('cf-preview'));
const previewNote = /** @type {HTMLElement} */ (document.getElementById('cf-preview-note'));
const snippetCode = /** @type {HTMLElement} */ (document.getElementById('cf-snippet'));
const cspCode = /** @type {HTMLElement} */ (document.getElementById('cf-csp'));

/** @type {{ id: string, title: string, hashtags: string[], accounts: string[] }[]} */
let feeds = [];
/** The preview: created once, then only its attributes and styles change. */
let preview;
/**
 * This server's build of the widget (`/commune-feed.manifest.json`): its
 * version and the sha384 of its main file, for a snippet with Subresource
 * Integrity; undefined until read, or if it cannot be.
 * @type {{ version: string, main: { integrity: string } } | undefined}
 */
let widgetBuild;

/** The feed chosen in the form, as the API lists it. */
function currentFeed() {
  return feeds.find((feed) => feed.id === feedSelect.value);
}

// ---------------------------------------------------------------- the preview and the code

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

function refresh() {
  const settings = readSettings();
  showModeFields(settings.mode);
  updateAccentContrast(settings);
  if (!settings.feed) return;
  updatePreview(settings);
  updatePreviewNote(settings);
  setText(snippetCode, buildSnippet(settings, currentFeed(), widgetBuild));
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

startForm(refresh);
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', () => void copyCode(button));
}
const refreshSources = startSourcesPanel(currentFeed);
showModeFields(checked('mode'));
updateAccentContrast(readSettings());
void loadWidgetBuild().then(loadFeeds);
