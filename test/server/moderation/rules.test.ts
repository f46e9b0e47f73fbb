import { describe, expect, it } from 'vitest';
import type { Post } from '../../../server/contract.js';
import { parseFeedSettings } from '../../../server/feeds/settings.js';
import { evaluate } from '../../../server/moderation/rules.js';
import type { DecisionState } from '../../../server/store/types.js';
import { testPost } from '../../helpers/posts.js';

/** An X feed of the town: its account, one hashtag. */
function settings(overrides: Record<string, unknown> = {}, moderation: Record<string, unknown> = {}) {
  return parseFeedSettings({
    id: 'fete',
    title: 'Fête',
    sources: [{ network: 'x', accounts: ['saint_etienne_'] }],
    hashtags: ['FeteDuLivre'],
    moderation,
    ...overrides,
  });
}

const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
const town = { name: 'Ville', handle: 'Saint_Etienne_', avatarUrl: '', profileUrl: '' };

/** A post of a resident on X with the feed's hashtag (in its text only). */
function xPost(overrides: Partial<Post> = {}): Post {
  return testPost(1, {
    source: 'x',
    author: resident,
    text: 'Belle matinée #FêteDuLivre',
    entities: { hashtags: [], mentions: [], links: [] },
    ...overrides,
  });
}

function decision(value: 'approved' | 'hidden'): DecisionState {
  return { decision: value, pinnedMs: null, decidedBy: 'camille', decidedMs: 1, reason: null };
}

const shown = (reason: string | null = null, blur = false) => ({ visibility: 'shown', reason, blur });

describe('evaluate', () => {
  it('shows a post of the feed in mode post', () => {
    expect(evaluate(xPost(), settings())).toEqual(shown());
  });

  it('hides a post the organisers hid, whatever else is true (rule 1)', () => {
    const trusted = xPost({ author: town });
    expect(evaluate(trusted, settings(), decision('hidden'))).toEqual({
      visibility: 'hidden',
      reason: 'organiser',
      blur: false,
    });
  });

  it('matches the feed by hashtag entity, by #tag in the text (case and accents aside), by account or reposter', () => {
    const s = settings();
    expect(
      evaluate(
        xPost({
          text: 'rien',
          entities: { hashtags: [{ start: 0, end: 4, tag: 'FETEDULIVRE', url: '' }], mentions: [], links: [] },
        }),
        s,
      ).visibility,
    ).toBe('shown');
    expect(evaluate(xPost({ text: 'vive la #fêtedulivre' }), s).visibility).toBe('shown');
    expect(evaluate(xPost({ text: 'sans hashtag', author: town }), s).visibility).toBe('shown');
    expect(evaluate(xPost({ text: 'sans hashtag', repostedBy: town }), s).visibility).toBe('shown');
  });

  it('filters what matches neither a hashtag nor an account of the feed (rule 2)', () => {
    expect(evaluate(xPost({ text: 'autre chose #Salon' }), settings())).toEqual({
      visibility: 'filtered',
      reason: 'no-match',
      blur: false,
    });
    // An account of another network does not count.
    const demoOnly = settings({
      sources: [
        { network: 'x', accounts: [] },
        { network: 'demo', accounts: ['lecteur42'] },
      ],
    });
    expect(evaluate(xPost({ text: 'rien' }), demoOnly).reason).toBe('no-match');
  });

  it('never filters a post of a network that does not search (the demo replay) for its scope', () => {
    const demo = settings({ sources: [{ network: 'demo', accounts: ['saint_etienne_'] }] });
    expect(evaluate(xPost({ source: 'demo', text: 'rien' }), demo).visibility).toBe('shown');
    // The scope follows the source that brought the post.
    expect(evaluate(xPost({ text: 'rien' }), demo, null, undefined, 'demo').visibility).toBe('shown');
    expect(evaluate(xPost({ text: 'rien' }), demo, null, undefined, 'x').visibility).toBe('filtered');
  });

  it('filters reposts when reposts are off, replies unless replies are on, and languages not shown', () => {
    expect(evaluate(xPost({ repostedBy: resident }), settings({ display: { reposts: false } })).reason).toBe('repost');
    expect(evaluate(xPost({ reply: true }), settings()).reason).toBe('reply');
    expect(evaluate(xPost({ reply: true }), settings({ display: { replies: true } })).visibility).toBe('shown');
    const french = settings({ display: { languages: ['fr'] } });
    expect(evaluate(xPost({ lang: 'en' }), french).reason).toBe('language');
    expect(evaluate(xPost({ lang: 'fr-CA' }), french).visibility).toBe('shown');
    expect(evaluate(xPost(), french).visibility).toBe('shown');
  });

  it('keeps an approved post out of the wall when it is out of scope, and shows it over every later rule (rule 3)', () => {
    expect(evaluate(xPost({ text: 'hors sujet' }), settings(), decision('approved')).visibility).toBe('filtered');
    const strict = settings({}, { mode: 'pre', blockedTerms: ['matinée'], blockedAccounts: ['lecteur42'] });
    expect(evaluate(xPost(), strict, decision('approved'))).toEqual(shown('organiser'));
  });

  it('shows trusted accounts (and their reposts) and announcements in both modes (rule 4)', () => {
    const pre = settings({}, { mode: 'pre', blockedTerms: ['matinée'] });
    expect(evaluate(xPost({ author: town }), pre)).toEqual(shown('trusted'));
    expect(evaluate(xPost({ repostedBy: town }), pre)).toEqual(shown('trusted'));
    expect(evaluate(xPost({ author: town }), settings())).toEqual(shown('trusted'));
    const announcement = xPost({
      source: 'organisers',
      author: { name: 'Organisateurs', handle: '', avatarUrl: '', profileUrl: '' },
      text: 'Bienvenue',
    });
    expect(evaluate(announcement, pre)).toEqual(shown('organiser'));
    // Trusted accounts default to the sources' accounts; a list replaces them.
    expect(settings().moderation.trustedAccounts).toEqual(['saint_etienne_']);
    expect(evaluate(xPost({ author: town }), settings({}, { trustedAccounts: [], mode: 'pre' })).visibility).toBe(
      'held',
    );
  });

  it('hides blocked accounts, as author or reposter (rule 5)', () => {
    const s = settings({}, { blockedAccounts: ['@LECTEUR42'] });
    expect(evaluate(xPost(), s)).toEqual({ visibility: 'hidden', reason: 'blocked-account', blur: false });
    const other = { ...resident, handle: 'quelquun' };
    expect(evaluate(xPost({ author: other, repostedBy: resident }), s).reason).toBe('blocked-account');
  });

  it('hides blocked terms in the text, the quoted post or an image description (rule 6)', () => {
    const s = settings({}, { blockedTerms: ['Abruti', 'casse toi'] });
    expect(evaluate(xPost({ text: 'Quel ABRUTÎ #FeteDuLivre' }), s)).toEqual({
      visibility: 'hidden',
      reason: 'blocked-term:Abruti',
      blur: false,
    });
    expect(evaluate(xPost({ text: "qu'abruti #FeteDuLivre" }), s).reason).toBe('blocked-term:Abruti');
    expect(evaluate(xPost({ quoted: testPost(2, { text: 'Casse-toi !' }) }), s).reason).toBe('blocked-term:casse toi');
    const photo = { kind: 'photo' as const, url: '', previewUrl: '', alt: 'un abruti', width: 1, height: 1 };
    expect(evaluate(xPost({ media: [photo] }), s).reason).toBe('blocked-term:Abruti');
    expect(
      evaluate(xPost({ text: 'contre-la-montre #FeteDuLivre' }), settings({}, { blockedTerms: ['con'] })).visibility,
    ).toBe('shown');
  });

  it('holds sensitive media with "hold", and shows them covered with "blur" (rule 7)', () => {
    expect(evaluate(xPost({ sensitive: true }), settings({}, { sensitiveMedia: 'hold' }))).toEqual({
      visibility: 'held',
      reason: 'sensitive-media',
      blur: true,
    });
    expect(evaluate(xPost({ sensitive: true }), settings())).toEqual(shown(null, true));
    expect(evaluate(xPost({ quoted: testPost(2, { sensitive: true }) }), settings())).toEqual(shown(null, true));
  });

  it('holds posts of accounts younger than the feed allows when they posted (rule 8)', () => {
    const s = settings({}, { minAccountAgeDays: 7 });
    const young = { ...resident, createdAt: new Date(Date.parse(xPost().createdAt) - 3 * 86_400_000).toISOString() };
    const old = { ...resident, createdAt: '2015-01-01T00:00:00Z' };
    expect(evaluate(xPost({ author: young }), s)).toEqual({ visibility: 'held', reason: 'young-account', blur: false });
    expect(evaluate(xPost({ author: old }), s).visibility).toBe('shown');
    expect(evaluate(xPost({ author: young }), settings()).visibility).toBe('shown');
    expect(evaluate(xPost(), s).visibility).toBe('shown');
  });

  it('holds every other post in mode pre (rule 9)', () => {
    expect(evaluate(xPost(), settings({}, { mode: 'pre' }))).toEqual({
      visibility: 'held',
      reason: 'mode-pre',
      blur: false,
    });
  });

  it('keeps a post already on the wall by the rules when a feed switches to mode pre, but not one an organiser had approved', () => {
    const pre = settings({}, { mode: 'pre' });
    expect(evaluate(xPost(), pre, null, undefined, 'x', true)).toEqual({
      visibility: 'shown',
      reason: null,
      blur: false,
    });
    expect(evaluate(xPost(), pre, null, undefined, 'x', false).visibility).toBe('held');
  });

  it('filters an announcement past its expiry, when the time is given', () => {
    const announcement = xPost({ source: 'organisers', expiresAt: '2026-10-10T12:00:00Z' });
    expect(evaluate(announcement, settings(), null, Date.parse('2026-10-10T11:59:59Z')).visibility).toBe('shown');
    expect(evaluate(announcement, settings(), null, Date.parse('2026-10-10T12:00:00Z'))).toEqual({
      visibility: 'filtered',
      reason: 'expired',
      blur: false,
    });
  });
});
