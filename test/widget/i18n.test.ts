/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { formatClockTime, formatRelativeTime, messagesFor, resolveLocale } from '../../widget/i18n.js';

const now = Date.parse('2026-07-14T12:40:00Z');
const ago = (ms: number) => new Date(now - ms);

describe('i18n', () => {
  it('speaks French unless asked for English', () => {
    expect(resolveLocale(null)).to.equal('fr');
    expect(resolveLocale('')).to.equal('fr');
    expect(resolveLocale('de')).to.equal('fr');
    expect(resolveLocale('en-GB')).to.equal('en');
    expect(resolveLocale('EN')).to.equal('en');
  });

  it('writes clock times as French typography wants', () => {
    expect(formatClockTime(new Date('2026-07-14T12:32:00Z'), 'fr', 'Europe/Paris')).to.equal('14 h 32');
    expect(formatClockTime(new Date('2026-07-14T07:05:00Z'), 'fr', 'Europe/Paris')).to.equal('9 h 05');
    expect(formatClockTime(new Date('2026-07-14T12:32:00Z'), 'en', 'Europe/Paris')).to.equal('2:32 PM');
    expect(formatClockTime(new Date('nonsense'), 'fr')).to.equal('');
  });

  it('gives relative times through Intl, in both languages', () => {
    expect(formatRelativeTime(ago(10_000), now, 'fr')).to.equal('maintenant');
    expect(formatRelativeTime(ago(5 * 60_000), now, 'fr')).to.equal('il y a 5 minutes');
    expect(formatRelativeTime(ago(3 * 3_600_000), now, 'fr')).to.equal('il y a 3 heures');
    expect(formatRelativeTime(ago(26 * 3_600_000), now, 'fr')).to.equal('hier');
    expect(formatRelativeTime(ago(30 * 86_400_000), now, 'fr', 'Europe/Paris')).to.equal('14 juin 2026');
    expect(formatRelativeTime(ago(5 * 60_000), now, 'en')).to.equal('5 minutes ago');
  });

  it('has every interface word in both languages', () => {
    const fr = messagesFor('fr');
    const en = messagesFor('en');
    expect(Object.keys(fr).sort()).to.deep.equal(Object.keys(en).sort());
    expect(fr.newPosts(1)).to.equal('1 nouvelle publication');
    expect(fr.newPosts(3)).to.equal('3 nouvelles publications');
    expect(fr.staleSince('14 h 32')).to.equal('Dernière mise à jour à 14 h 32');
    expect(fr.empty).to.equal('Pas encore de publications');
    expect(fr.showSensitive).to.equal('Afficher le contenu sensible');
    expect(fr.imageWithoutDescription).to.equal('Image sans description');
  });
});
