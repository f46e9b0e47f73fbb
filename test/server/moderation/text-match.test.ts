import { describe, expect, it } from 'vitest';
import { compileTerms, foldText, words } from '../../../server/moderation/text-match.js';

describe('blocked terms', () => {
  it.each([
    // [term, text, matches]
    ['abruti', 'Quel abruti ce matin', true],
    ['abruti', 'QUEL ABRUTI', true],
    ['abruti', 'quel âbrüti', true],
    ['abruti', "qu'abruti", true],
    ['abruti', 'l’abruti est parti', true],
    ['abruti', "d'abruti", true],
    ['abruti', 'jusqu’abruti', true],
    ['abruti', "lorsqu'abruti", true],
    ['abruti', 'c‘abruti', true],
    ['abruti', 'nʼabruti', true],
    ['abruti', 'abrutis', false],
    ['abruti', 'abrutissement', false],
    ['Éloïse', 'eloise arrive', true],
    ['coeur', 'mon cœur', true],
    ['cœur', 'mon coeur', true],
    ['aeternam', 'requiem æternam', true],
    ['fin', 'la ﬁn du salon', true],
    ['casse toi', 'casse-toi', true],
    ['casse toi', 'CASSE   toi !', true],
    ['casse toi', 'casse, toi.', true],
    ['casse toi', 'cassetoi', false],
    ['casse toi', 'casse moi toi', false],
    ['con', 'contre la montre', false],
    ['con', 'à Mâcon demain', false],
    ['con', 'quel con !', true],
    ['con', 'ra-con-ter', true],
    ['con', 'CON', true],
    ['aujourd’hui', "aujourd'hui", true],
    ['hui', "aujourd'hui", false],
    ["l'arnaque", 'c’est L’ARNAQUE', true],
    ['🖕', 'voilà 🖕 pour vous', true],
    ['🖕', 'voilà 👍 pour vous', false],
    ['42', 'la 42e édition', false],
    ['42', 'le 42 est là', true],
  ])('"%s" in "%s": %s', (term, text, expected) => {
    expect(compileTerms([term]).find(text) !== undefined).toBe(expected);
  });

  it('names the first term found, as the organisers wrote it', () => {
    const matcher = compileTerms(['Casse-toi', 'nul']);
    expect(matcher.find('Allez, casse toi')).toBe('Casse-toi');
    expect(matcher.findIn(['rien', 'c’est NUL'])).toBe('nul');
    expect(matcher.findIn(['rien à dire'])).toBeUndefined();
  });

  it('never matches a term without any word, nor an empty text', () => {
    expect(compileTerms(['!!!', '  ']).find('!!! ')).toBeUndefined();
    expect(compileTerms(['abruti']).find('')).toBeUndefined();
  });

  it('folds case, accents, ligatures and apostrophes, and splits elisions off as words', () => {
    expect(foldText('Œuvre À L’ÉTÉ')).toBe("oeuvre a l'ete");
    expect(words("Qu’il vienne à l'hôtel aujourd'hui")).toEqual([
      "qu'",
      'il',
      'vienne',
      'a',
      "l'",
      'hotel',
      "aujourd'hui",
    ]);
  });
});
