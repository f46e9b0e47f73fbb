/**
 * The configurator's code writer: from the form's settings, the snippet a
 * webmaster pastes (the script, the element with the attributes that differ
 * from the widget's defaults, its fallback link, a style block) and the
 * Content-Security-Policy lines the site needs. Pure functions, no DOM.
 * Plain ES module, no build step.
 */

/** The widget's defaults: attributes equal to these stay out of the snippet. */
export const DEFAULTS = { mode: 'list', lang: 'fr', theme: 'light', limit: 50, speed: 60, interval: 8 };

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

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The custom properties the settings ask for, `--commune-feed-*` → value. */
export function customProperties(settings) {
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
function scriptTag(server, widgetBuild) {
  if (!widgetBuild) return `<script type="module" src="${escapeHtml(server)}/commune-feed.js"></script>`;
  const src = `${server}/v/${encodeURIComponent(widgetBuild.version)}/commune-feed.js`;
  return `<script type="module" src="${escapeHtml(src)}" integrity="${escapeHtml(widgetBuild.main.integrity)}" crossorigin="anonymous"></script>`;
}

/**
 * The copy-paste code: the script, the element with its non-default attributes, and a style block if needed.
 * `feed`: the chosen feed as the API lists it, for the fallback link; `widgetBuild`: this server's build
 * (`/commune-feed.manifest.json`), for the versioned script URL and its integrity, if it could be read.
 */
export function buildSnippet(settings, feed, widgetBuild) {
  const attributes = [['src', settings.server], ['feed', settings.feed], ...featureAttributes(settings)];
  const rendered = attributes.map(([name, value]) => `${name}="${escapeHtml(value)}"`);
  const oneLine = `<commune-feed ${rendered.join(' ')}>`;
  const openTag = oneLine.length <= 90 ? oneLine : `<commune-feed\n  ${rendered.join('\n  ')}\n>`;
  const lines = [scriptTag(settings.server, widgetBuild), openTag];
  const link = fallbackLink(feed, settings.lang);
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
export function buildCsp(settings) {
  const origin = new URL(settings.server).origin;
  return [`script-src 'self' ${origin};`, `connect-src 'self' ${origin};`, `img-src 'self' ${origin};`].join('\n');
}
