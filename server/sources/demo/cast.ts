/** Who posts in the demo replay, on which network, and the pictures they post (shipped in `demo/media/`). */
import type { DemoNetwork } from './entities.js';

/**
 * Someone who posts in the replay, on one network. Every account except the
 * town's on X is invented; their names or handles say so ("démo", "fictif").
 * Handles are written as each network writes them: on X within 15
 * characters, so that mentions of them are real mentions; on Mastodon with
 * the account's instance; on Bluesky as a domain name.
 */
export interface DemoAuthor {
  name: string;
  /** Without the first "@": `name`, `name@instance` or `name.bsky.social`. */
  handle: string;
  network: DemoNetwork;
  /** The avatar's file name without `.svg` in `demo/media/avatars/`, when it is not the handle. */
  avatar?: string;
}

/** The avatar's file in `demo/media/`. */
export function avatarFile(author: DemoAuthor): string {
  return `avatars/${author.avatar ?? author.handle}.svg`;
}

/** A picture shipped in `demo/media/`. */
export interface DemoMedia {
  /** File name inside `demo/media/`. */
  file: string;
  /** Alternative text in French, as its author wrote it ("" when none was given). */
  alt: string;
  width: number;
  height: number;
}

export const DEMO_AUTHORS = {
  ville: { name: 'Ville de Saint-Étienne', handle: 'saint_etienne_', network: 'x' },
  villeMastodon: {
    name: 'Ville de Saint-Étienne (démo)',
    handle: 'saintetienne_demo@mastodon.social',
    network: 'mastodon',
    avatar: 'saint_etienne_',
  },
  fete: { name: 'Fête du livre (compte démo)', handle: 'fdl_se_demo', network: 'x' },
  loireInfo: { name: 'Loire Info · démo', handle: 'loire_info_demo', network: 'x' },
  radio: {
    name: 'Radio Furan FM (fictive)',
    handle: 'furan-fm-demo.bsky.social',
    network: 'bluesky',
    avatar: 'furan_fm_demo',
  },
  biblio: {
    name: 'Médiathèques de Saint-Étienne (démo)',
    handle: 'biblio_se_demo@mastodon.social',
    network: 'mastodon',
    avatar: 'biblio_se_demo',
  },
  tram: { name: 'Tram & bus stéphanois (démo)', handle: 'tram_se_demo', network: 'x' },
  librairie: { name: 'Librairie Le Crêt (fictive)', handle: 'librairie_demo', network: 'x' },
  lire: {
    name: 'Lire à Saint-Étienne (asso fictive)',
    handle: 'lire_se_demo@framapiaf.org',
    network: 'mastodon',
    avatar: 'lire_se_demo',
  },
  ecole: { name: 'École du Crêt-de-Roc · CM2 (fictif)', handle: 'cm2_cret_demo', network: 'x' },
  camille: {
    name: 'Camille R. 📚',
    handle: 'camille-r-demo.bsky.social',
    network: 'bluesky',
    avatar: 'camille_r_demo',
  },
  mehdi: { name: 'Mehdi B.', handle: 'mehdi42_demo', network: 'x' },
  lea: { name: 'Léa 🧑‍🎨 dessine', handle: 'lea-bd-demo.bsky.social', network: 'bluesky', avatar: 'lea_bd_demo' },
  jeanPaul: { name: 'Jean-Paul V.', handle: 'jpv42_demo', network: 'x' },
  sophie: {
    name: 'Sophie, maman de 3',
    handle: 'sophie_se_demo@piaille.fr',
    network: 'mastodon',
    avatar: 'sophie_se_demo',
  },
  nadia: { name: 'Nadia Perret, autrice (fictive)', handle: 'nperret_demo', network: 'x' },
  thomas: { name: 'Thomas Vial · BD (fictif)', handle: 'tvial_bd_demo', network: 'x' },
  hannah: { name: 'Hannah Clarke (fictional author)', handle: 'hclarke_demo', network: 'x' },
} as const satisfies Record<string, DemoAuthor>;

export type DemoAuthorKey = keyof typeof DEMO_AUTHORS;

export const DEMO_MEDIA = {
  chapiteau: {
    file: 'chapiteau.svg',
    alt: 'Deux grands chapiteaux blancs aux toits pointus dressés sur la place de l’Hôtel de Ville, sous un ciel bleu d’automne, avec des fanions colorés tendus entre eux.',
    width: 1200,
    height: 800,
  },
  hotelDeVille: {
    file: 'hotel-de-ville.svg',
    alt: 'La façade de l’hôtel de ville avec son horloge et son fronton, vue depuis la place ; au premier plan, des visiteurs marchent vers l’entrée du salon.',
    width: 1200,
    height: 800,
  },
  dedicace: {
    file: 'dedicace.svg',
    alt: 'Une autrice signe un livre à une table de dédicace couverte d’une nappe rouge ; une lectrice attend, son exemplaire serré contre elle, devant une pile de romans.',
    width: 1200,
    height: 800,
  },
  livres: {
    file: 'piles-livres.svg',
    alt: 'Des piles de livres aux couvertures de toutes les couleurs sur le stand d’une librairie, avec une petite pancarte « Coups de cœur ».',
    width: 1200,
    height: 800,
  },
  tram: {
    file: 'tram.svg',
    alt: 'Un tramway vert et blanc remonte la Grand’Rue sous des arbres aux feuilles jaunes ; son bandeau lumineux indique « Hôtel de Ville ».',
    width: 1200,
    height: 800,
  },
  jeunesse: {
    file: 'coin-jeunesse.svg',
    alt: 'Le coin lecture jeunesse : des enfants assis sur des coussins colorés écoutent une bibliothécaire lire à voix haute un album illustré.',
    width: 1200,
    height: 800,
  },
  affiche: {
    file: 'affiche.svg',
    alt: 'L’affiche de la Fête du livre, sur fond orange : des oiseaux de papier volent au-dessus des toits de la ville, et un grand livre ouvert est posé à leur pied. Texte : « Fête du livre, Saint-Étienne, entrée libre ».',
    width: 800,
    height: 1000,
  },
  foule: {
    file: 'foule.svg',
    alt: 'Une foule de visiteurs, certains avec des sacs remplis de livres, circule entre les stands sous le chapiteau principal.',
    width: 1200,
    height: 675,
  },
  /** The same picture posted by a resident who wrote no description: the wall must cope. */
  fouleSansAlt: { file: 'foule.svg', alt: '', width: 1200, height: 675 },
  bd: {
    file: 'planche-bd.svg',
    alt: 'Une planche de bande dessinée en trois cases : un tram arrive place de l’Hôtel de Ville, une fillette en descend en courant, puis elle brandit fièrement un livre dédicacé.',
    width: 1200,
    height: 600,
  },
  rencontre: {
    file: 'rencontre.svg',
    alt: 'Une rencontre d’auteurs sur la petite scène : deux personnes assises dans des fauteuils, micro en main, face à un public attentif.',
    width: 1200,
    height: 800,
  },
  prix: {
    file: 'prix.svg',
    alt: 'Remise du prix sur la grande scène : un pupitre orné d’un ruban, un trophée en forme de livre doré et un bouquet de fleurs, sous un éclairage chaud.',
    width: 1200,
    height: 800,
  },
  atelier: {
    file: 'atelier-dessin.svg',
    alt: 'Un atelier de dessin : feuilles, crayons de couleur et feutres sur une longue table, où des mains d’enfants dessinent des bulles de bande dessinée.',
    width: 1200,
    height: 800,
  },
  soir: {
    file: 'soir.svg',
    alt: 'Le chapiteau illuminé à la tombée de la nuit, guirlandes allumées, avec la silhouette de l’hôtel de ville en arrière-plan.',
    width: 1200,
    height: 800,
  },
} as const satisfies Record<string, DemoMedia>;

export type DemoMediaKey = keyof typeof DEMO_MEDIA;
