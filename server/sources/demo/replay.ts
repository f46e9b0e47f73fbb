/**
 * The demo replay's script: what each post says, in release order, with its pictures and the
 * posts it quotes. Its people and pictures are in `cast.ts`.
 */
import type { DemoAuthorKey, DemoMediaKey } from './cast.js';

/** One post of the replay. */
export interface DemoScriptPost {
  /** A name other posts can quote it by. */
  key?: string;
  author: DemoAuthorKey;
  /** Final text, French typography applied. */
  text: string;
  media: DemoMediaKey[];
  /** BCP 47; French when absent. */
  lang?: string;
  /** Set when this entry reaches the wall as a repost of `author`'s post by this account. */
  repostedBy?: DemoAuthorKey;
  /** Key of an earlier entry that this post quotes. */
  quotes?: string;
  /** The author's content warning (Mastodon's `spoiler_text`), French typography applied. */
  contentWarning?: string;
}

interface Options {
  media?: DemoMediaKey[];
  lang?: string;
  key?: string;
  repostedBy?: DemoAuthorKey;
  quotes?: string;
  contentWarning?: string;
}

/**
 * French spacing, written as plain spaces in the script for readability:
 * a narrow no-break space before ; ! ? and between thousands ("40 000"), a
 * no-break space before : and inside « », and in times ("10 h 30"). Only ever
 * applied to French posts.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/(\d) (\d{3})\b/g, '$1\u202f$2')
    .replace(
      /(\d) h( \d\d)?\b/g,
      (_, hour: string, minutes?: string) => `${hour}\u00a0h${minutes ? `\u00a0${minutes.trim()}` : ''}`,
    )
    .replace(/ ([;!?])/g, '\u202f$1')
    .replace(/ :/g, '\u00a0:')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
}

function post(author: DemoAuthorKey, text: string, options: Options = {}): DemoScriptPost {
  const { media = [], lang, contentWarning, ...rest } = options;
  const french = lang === undefined || lang === 'fr' ? frenchSpacing : (t: string) => t;
  return {
    ...rest,
    author,
    text: french(text),
    media,
    ...(lang ? { lang } : {}),
    ...(contentWarning ? { contentWarning: french(contentWarning) } : {}),
  };
}

/** The replay, in release order. The demo source loops over it forever. */
export const DEMO_SCRIPT: readonly DemoScriptPost[] = [
  post(
    'ville',
    '📚 C’est parti pour la #FeteDuLivre ! Jusqu’à dimanche, plus de 150 autrices et auteurs vous attendent sous les chapiteaux de la place de l’Hôtel de Ville. Entrée libre et gratuite. #SaintEtienne',
    { media: ['chapiteau'] },
  ),
  post(
    'fete',
    'Le programme complet est en ligne : rencontres, dédicaces, lectures, ateliers jeunesse et BD 👉 https://www.saint-etienne.fr/fete-du-livre/programme-2026 #FeteDuLivre',
  ),
  post(
    'tram',
    '🚋 Pendant la #FeteDuLivre, l’arrêt Hôtel de Ville reste desservi par les lignes T1 et T2. Préférez le tram : le stationnement est très limité autour de la place. Infos trafic : https://www.saint-etienne.fr/deplacements/tram.',
    { media: ['tram'] },
  ),
  post(
    'camille',
    'Premier passage au stand jeunesse avec les enfants, déjà trois albums dans le sac 😅 #FeteDuLivre #SaintEtienne',
  ),
  post(
    'hannah',
    'Bonjour Saint-Étienne! 🇬🇧🇫🇷 Thrilled to be at the #FeteDuLivre this weekend. I’ll be signing the French translation of my novel on Saturday at 3 pm, and talking about translation with @nperret_demo on Sunday.',
    { lang: 'en' },
  ),
  post(
    'villeMastodon',
    '🚲 Venir à la #FeteDuLivre à vélo ? Des arceaux supplémentaires sont installés rue Gérentet et place Dorian. Le tram T1 s’arrête à Hôtel de Ville. #SaintEtienne',
  ),
  post(
    'biblio',
    'Lectures d’albums pour les 3-6 ans toutes les heures au coin jeunesse, à côté du chapiteau B 👧🏽👦🏻 Venez avec vos doudous ! #FeteDuLivre #Jeunesse',
    { media: ['jeunesse'] },
  ),
  post(
    'loireInfo',
    'Fête du livre : sous les chapiteaux, les éditeurs régionaux misent sur la #BD et le polar. Notre reportage (https://www.saint-etienne.fr/actualites/fete-du-livre-editeurs-regionaux) #Loire',
  ),
  post(
    'nadia',
    'Je dédicace cet après-midi de 14 h à 17 h au stand de @librairie_demo. Au plaisir de vous y croiser ! #FeteDuLivre',
    { media: ['dedicace'] },
  ),
  post(
    'ville',
    '📖 La Fête du livre, mode d’emploi ! Trois jours, quatre chapiteaux et plus de 150 autrices et auteurs sur la place de l’Hôtel de Ville. Chapiteau A : romans et polars, avec les libraires de la ville. Chapiteau B : jeunesse, avec lectures, ateliers et coin des tout-petits. Chapiteau C : BD et mangas, dédicaces en continu. Grande scène : rencontres, débats et remise du prix des lecteurs du Furan samedi à 18 h. Ouvert de 10 h à 19 h, entrée libre. Venez en tram (arrêt Hôtel de Ville) ou à vélo : des arceaux sont installés rue Gérentet. Bonne fête à toutes et à tous ! #FeteDuLivre #SaintEtienne',
  ),
  post('mehdi', 'Quelle ambiance ce samedi ! 🤩 Des livres partout, du monde partout. #FeteDuLivre #SaintEtienne', {
    media: ['foule', 'livres', 'hotelDeVille'],
  }),
  post(
    'thomas',
    '🧑‍🎨#BD Petite planche improvisée ce matin en attendant l’ouverture : le tram, la place, une lectrice pressée. Dédicaces au chapiteau C jusqu’à 18 h ! @fdl_se_demo',
    { media: ['bd'] },
  ),
  post(
    'librairie',
    'Notre stand (chapiteau A, allée 3) déborde de coups de cœur : romans, polars, albums, BD… Et nos libraires ont préparé une table « Auteurs de la Loire ». #FeteDuLivre #Loire',
    { media: ['livres'] },
  ),
  post(
    'radio',
    '🎙️ En direct de la place de l’Hôtel de Ville jusqu’à 19 h : interviews d’auteurs, coups de cœur des libraires et vos questions. Écoutez-nous sur 98.4 ! #FeteDuLivre',
  ),
  post(
    'sophie',
    '@biblio_se_demo@mastodon.social Merci pour la lecture de ce matin, ma fille n’a pas voulu partir 😍 Vous refaites la même demain ?',
  ),
  post(
    'biblio',
    '@sophie_se_demo@piaille.fr Avec plaisir ! Oui, lectures demain dès 10 h 30, même endroit. Et l’album est disponible en prêt dans toutes nos médiathèques 😉',
  ),
  post(
    'jeanPaul',
    'Trente ans que je viens à la #FêteDuLivre et toujours le même plaisir. Cette année, j’ai enfin fait signer mon vieux polar de 1998 😄 #Stéphanois',
  ),
  post(
    'ecole',
    'Les CM2 ont rencontré une illustratrice ce matin : questions, croquis et beaucoup de fous rires ✏️ Merci @fdl_se_demo ! #FeteDuLivre #Jeunesse',
    { media: ['atelier'] },
  ),
  post(
    'loireInfo',
    'Affluence record attendue ce samedi à la Fête du livre : les organisateurs comptaient plus de 40 000 visiteurs l’an dernier sur trois jours. #SaintEtienne #FeteDuLivre',
    { repostedBy: 'ville' },
  ),
  post(
    'tram',
    '⚠️ Forte affluence sur la ligne T1 entre Châteaucreux et Hôtel de Ville. Des rames supplémentaires circulent jusqu’à 20 h. Merci de votre patience ! #FeteDuLivre',
  ),
  post(
    'camille',
    'Rencontre passionnante avec Nadia Perret sur l’écriture des lieux : « une ville, c’est un personnage qui ne dort jamais ». Je repars avec son roman dédicacé 🥹',
    { media: ['rencontre'] },
  ),
  post('mehdi', 'La queue pour la dédicace de @tvial_bd_demo 😳 #FeteDuLivre', { media: ['fouleSansAlt'] }),
  post(
    'fete',
    '🏆 Le prix des lecteurs du Furan sera remis ce soir à 18 h sur la grande scène. Cinq romans en lice, 600 lectrices et lecteurs de la Loire ont voté. Suspense ! #PrixDuFuran',
    { key: 'annoncePrix' },
  ),
  post(
    'ville',
    'Rendez-vous ce soir pour la remise du prix ! Bravo aux lectrices et lecteurs qui ont lu, débattu et voté tout l’été. #SaintEtienne',
    { quotes: 'annoncePrix' },
  ),
  post(
    'lire',
    'Notre boîte à livres est installée à l’entrée du chapiteau B : déposez un livre, prenez-en un ! 📦📖 #FeteDuLivre #ÉconomieCirculaire',
  ),
  post('hannah', 'Mon français est terrible mais les lecteurs stéphanois sont merveilleux 🙏 #FeteDuLivre'),
  post(
    'radio',
    '📻 Dans une heure : Thomas Vial nous raconte comment il a dessiné Saint-Étienne en 200 planches. En direct et en podcast : https://www.saint-etienne.fr/agenda/fete-du-livre/bd-en-direct #BD',
  ),
  post(
    'biblio',
    '📚 Pas encore de carte de médiathèque ? Inscription gratuite sur notre stand (chapiteau B) et empruntez dès ce week-end ! https://www.saint-etienne.fr/mediatheques #FeteDuLivre',
  ),
  post(
    'sophie',
    'Astuce parents : le coin jeunesse est bien plus calme avant 11 h 👌 Et il y a des toilettes accessibles juste derrière le chapiteau B. #FeteDuLivre',
  ),
  post(
    'ville',
    '♿ Accessibilité : boucles magnétiques sur la grande scène, rencontres traduites en LSF samedi à 15 h et dimanche à 11 h, prêt de fauteuils à l’accueil. Tout le détail : https://www.saint-etienne.fr/fete-du-livre/accessibilite #FeteDuLivre',
  ),
  post(
    'mehdi',
    'Le chapiteau C c’est mon paradis 😍 j’ai trouvé le tome 3 que je cherchais depuis deux ans !!! #BD #FeteDuLivre',
  ),
  post(
    'loireInfo',
    '🏆 Le prix des lecteurs du Furan est attribué à « La Ligne des crêts », premier roman de @nperret_demo. Une histoire de familles et de funiculaires entre Montreynaud et le Crêt-de-Roc. #PrixDuFuran #Loire',
    { media: ['prix'] },
  ),
  post(
    'nadia',
    'Je n’ai pas de mots. Merci aux lectrices et lecteurs du Furan, merci à @librairie_demo qui a porté ce livre dès le premier jour 💛 #PrixDuFuran',
  ),
  post(
    'lire',
    'Notre club de lecture avait lu « La Ligne des crêts » cet été. Le funiculaire qui repart à la dernière page, la lettre de Rose enfin ouverte… on avait tous pleuré. Quel bonheur de voir ce livre primé ! #PrixDuFuran #Lecture',
    { contentWarning: 'Divulgâcheur : la fin de « La Ligne des crêts »' },
  ),
  post(
    'ville',
    '🌙 Ce soir à 20 h 30 : lectures-concert sous le grand chapiteau avec les élèves du conservatoire. Gratuit, dans la limite des places disponibles. #FeteDuLivre',
  ),
  post(
    'loireInfo',
    '📸 La place de l’Hôtel de Ville à la nuit tombée, pendant la soirée lectures-concert. Magique. #SaintEtienne #Loire',
    { media: ['soir'] },
  ),
  post(
    'thomas',
    'Merci pour cette journée de folie, Saint-Étienne 🙌 Plus de 200 dédicaces, une main en compote et des dessins plein la tête. À demain ! #BD',
  ),
  post(
    'jeanPaul',
    'Petit conseil aux organisateurs : quelques bancs de plus sur la place, pour les vieux genoux comme les miens 😅 Sinon, bravo ! @saint_etienne_',
  ),
  post(
    'ville',
    '@jpv42_demo Message reçu ! Des bancs supplémentaires seront installés dès demain matin près de la fontaine. Merci pour votre fidélité 😊',
  ),
  post(
    'fete',
    'Dimanche, place aux familles 👨‍👩‍👧‍👦 : chasse au trésor littéraire, atelier fanzine et spectacle de contes à 16 h. Programme jeunesse : https://www.saint-etienne.fr/fete-du-livre/jeunesse #Jeunesse',
  ),
  post(
    'fete',
    'L’affiche de cette édition, signée par une illustratrice stéphanoise 🎨 Retrouvez-la en grand format à l’accueil, offerte aux 500 premiers visiteurs de dimanche ! #FeteDuLivre',
    { media: ['affiche'] },
  ),
  post(
    'tram',
    '🚋 Ce dimanche, fréquence renforcée sur T1 et T2 jusqu’à 21 h. Le parking relais de Bellevue est gratuit pour les visiteurs de la #FeteDuLivre sur présentation d’un ticket de tram validé.',
  ),
  post(
    'lea',
    'J’ai osé montrer mon carnet à Thomas Vial et il m’a dit de continuer 😭😭 Meilleure journée de ma vie. #BD',
  ),
  post(
    'ecole',
    'Nos élèves ont écrit et illustré leur propre album, présenté aujourd’hui au stand des écoles. Quelle fierté 🥰 #FeteDuLivre #SaintEtienne',
  ),
  post(
    'biblio',
    'Record battu au coin jeunesse : 1 200 histoires lues à voix haute en trois jours ! Merci aux bénévoles et aux bibliothécaires 💪 #Jeunesse #FeteDuLivre',
  ),
  post('lea', 'Croisé @camille-r-demo.bsky.social au chapiteau C, on a comparé nos butins de dédicaces 📚✍️ #BD', {
    media: ['livres'],
  }),
  post('lea', 'Mes croquis du week-end, entre deux dédicaces ✍️🇫🇷#BD #SaintEtienne'),
  post(
    'lire',
    'Samedi prochain, on prolonge la fête avec un club de lecture « coups de cœur du salon » à la médiathèque de Tarentaize. Inscription : https://www.saint-etienne.fr/agenda/club-lecture (places limitées) #Lecture',
  ),
  post(
    'radio',
    '🎧 Le podcast de notre émission en public est en ligne : deux heures de rencontres avec les auteurs de la #FeteDuLivre → https://www.saint-etienne.fr/podcasts/fete-du-livre?episode=1',
  ),
  post(
    'camille',
    'Bilan du week-end : 7 livres, 4 dédicaces, 1 coup de soleil d’octobre ☀️ et zéro regret. Vivement l’an prochain ! #FeteDuLivre',
  ),
  post(
    'hannah',
    'What a weekend. Saint-Étienne, you have the loveliest readers and the best trams 🚋💚 Merci to the médiathèques and everyone at @fdl_se_demo! #FeteDuLivre',
    { lang: 'en' },
  ),
  post(
    'ville',
    'Merci ! 🙏 Trois jours de fête, des milliers de livres partagés, des rencontres inoubliables. Rendez-vous l’an prochain pour une nouvelle #FeteDuLivre. #SaintEtienne 🇫🇷',
    { media: ['hotelDeVille'] },
  ),
];

/** The index of the entry an entry quotes; throws at load time if the script points nowhere or forward. */
export function quotedIndex(index: number): number | undefined {
  const entry = DEMO_SCRIPT[index];
  if (entry?.quotes === undefined) return undefined;
  const target = DEMO_SCRIPT.findIndex((e) => e.key === entry.quotes);
  if (target < 0 || target >= index)
    throw new Error(`demo script: entry ${index} quotes "${entry.quotes}", which is not an earlier entry`);
  return target;
}

DEMO_SCRIPT.forEach((_, i) => quotedIndex(i));
