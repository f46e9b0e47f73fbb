/**
 * The wire contract (`contract.ts`) as zod schemas, for the OpenAPI description of the public
 * API (`npm run openapi`). The compiler checks that each schema's type is exactly the contract's
 * interface, both ways, so the description cannot drift from what the server sends.
 */
import { z } from 'zod';
import type {
  Alert,
  AlertChange,
  ApiError,
  Author,
  Entities,
  FeedInfo,
  FeedList,
  FeedSnapshot,
  FeedStatus,
  Media,
  Post,
  PostRemoval,
} from './contract.js';

const isoDateTime = (description: string) => z.string().meta({ format: 'date-time', description });

export const authorSchema = z
  .object({
    name: z.string().meta({ description: 'Display name, plain text.' }),
    handle: z.string().meta({ description: 'Handle without the leading "@".' }),
    avatarUrl: z
      .string()
      .meta({ description: 'URL of the avatar, served by this server under /media/ ("" when none).' }),
    profileUrl: z.string().meta({ description: 'The profile on the source network.' }),
    createdAt: isoDateTime('When the account was created, when the network tells.').optional(),
  })
  .meta({ id: 'Author', description: 'Someone who writes or reposts.' });

const range = {
  start: z.number().int().meta({ description: 'UTF-16 index into `text` (as JavaScript counts).' }),
  end: z.number().int().meta({ description: 'UTF-16 index into `text`, exclusive.' }),
};

export const entitiesSchema = z
  .object({
    hashtags: z.array(z.object({ ...range, tag: z.string().meta({ description: 'Without "#".' }), url: z.string() })),
    mentions: z.array(
      z.object({ ...range, handle: z.string().meta({ description: 'Without "@".' }), url: z.string() }),
    ),
    links: z.array(
      z.object({
        ...range,
        href: z.string().meta({ description: 'Where the link points (for X: the t.co URL).' }),
        display: z.string().meta({ description: 'What to show in place of the URL.' }),
        expandedUrl: z.string().optional().meta({ description: 'The full destination, when known.' }),
      }),
    ),
  })
  .meta({
    id: 'Entities',
    description: 'Hashtags, mentions and links inside `text`: `text.slice(start, end)` is the entity as shown.',
  });

export const mediaSchema = z
  .object({
    kind: z.enum(['photo', 'video', 'gif']),
    url: z.string().meta({ description: 'The full-size image, or the best playable variant ("" when none).' }),
    previewUrl: z.string().meta({ description: 'A still image to show first.' }),
    alt: z.string().meta({ description: 'Alternative text written by the author ("" when none was given).' }),
    width: z.number(),
    height: z.number(),
  })
  .meta({ id: 'Media' });

export const postSchema = z
  .object({
    id: z.string().meta({ description: 'Unique within a feed.' }),
    source: z.enum(['demo', 'x', 'mastodon', 'bluesky', 'organisers']),
    url: z.string().meta({ description: 'Permalink on the source network.' }),
    createdAt: isoDateTime('UTC.'),
    author: authorSchema,
    text: z.string().meta({ description: 'Plain text, unescaped, full length.' }),
    entities: entitiesSchema,
    media: z.array(mediaSchema),
    repostedBy: authorSchema.optional().meta({ description: 'Who reposted it, when it reached the feed as a repost.' }),
    get quoted() {
      return postSchema.optional();
    },
    lang: z.string().optional().meta({ description: 'BCP 47 language tag of the text, when known.' }),
    contentWarning: z
      .string()
      .optional()
      .meta({ description: 'Text and media stay covered until the visitor opens them.' }),
    sensitive: z.boolean().optional().meta({ description: 'Media hidden until the visitor asks to see it.' }),
    edited: z.boolean().optional(),
    reply: z.boolean().optional(),
    pinnedAt: isoDateTime('Set while the organisers pin the post; pinned posts come first.').optional(),
    html: z
      .string()
      .optional()
      .meta({ description: 'Announcements only: limited rich text, sanitised with an allow-list; sanitise it again.' }),
    expiresAt: isoDateTime('Announcements only: when the post leaves the wall by itself.').optional(),
  })
  .meta({ id: 'Post', description: 'One post, from any network, or an announcement of the organisers.' });

export const alertSchema = z
  .object({
    id: z.string(),
    text: z.string().meta({ description: 'Plain text.' }),
    createdAt: isoDateTime('When it was raised.'),
    expiresAt: isoDateTime('When it disappears by itself, if ever.').optional(),
    lang: z.string().optional().meta({ description: "BCP 47 language of the text (the feed's language by default)." }),
  })
  .meta({
    id: 'Alert',
    description: "The organisers' urgent alert, shown above every mode until it expires or is withdrawn.",
  });

export const feedInfoSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    hashtags: z.array(z.string()).meta({ description: 'Without "#".' }),
    accounts: z.array(z.string()),
  })
  .meta({ id: 'FeedInfo' });

export const feedSnapshotSchema = z
  .object({
    feed: feedInfoSchema,
    posts: z.array(postSchema).meta({ description: 'Pinned posts first, then newest first.' }),
    updatedAt: isoDateTime("When the feed's content last changed or was last refreshed."),
    stale: z.boolean().meta({ description: 'True when the source could not be refreshed recently.' }),
    alert: alertSchema.nullable().optional().meta({ description: 'The urgent alert in force, or null.' }),
    revision: z.number().int().meta({
      description: 'Open the event stream with `?since=<revision>` so that nothing published in between is missed.',
    }),
  })
  .meta({ id: 'FeedSnapshot' });

export const feedListSchema = z.object({ feeds: z.array(feedInfoSchema) }).meta({ id: 'FeedList' });

export const feedStatusSchema = z
  .object({ stale: z.boolean(), updatedAt: isoDateTime('When the feed was last refreshed.') })
  .meta({ id: 'FeedStatus' });

export const postRemovalSchema = z.object({ id: z.string() }).meta({ id: 'PostRemoval' });

export const alertChangeSchema = z
  .object({ alert: alertSchema.nullable().meta({ description: 'The alert now in force, or null.' }) })
  .meta({ id: 'AlertChange' });

export const apiErrorSchema = z
  .object({ error: z.object({ status: z.number().int(), message: z.string() }) })
  .meta({ id: 'ApiError', description: 'The body of every error answer.' });

/** The live events of `GET /api/feeds/{id}/events`, by event name, with what each one's `data` holds. */
export const FEED_EVENTS = {
  post: { schema: postSchema, description: 'A post arrived or changed (`id:` is the feed revision).' },
  remove: { schema: postRemovalSchema, description: 'A post left the feed.' },
  alert: { schema: alertChangeSchema, description: 'The urgent alert changed.' },
  feed: { schema: feedInfoSchema, description: "The feed's title or hashtags changed." },
  status: { schema: feedStatusSchema, description: 'Sent on connect and when the feed turns stale or fresh again.' },
  reset: {
    schema: feedStatusSchema,
    description: 'More was missed than the server can replay: fetch the snapshot again.',
  },
} as const;

/** True when `A` and `B` are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exact = <A, B>(same: Same<A, B>): Same<A, B> => same;

// Each line fails to compile when a schema and its interface in contract.ts differ.
export const CONTRACT_CHECKS = [
  exact<z.output<typeof authorSchema>, Author>(true),
  exact<z.output<typeof entitiesSchema>, Entities>(true),
  exact<z.output<typeof mediaSchema>, Media>(true),
  exact<z.output<typeof postSchema>, Post>(true),
  exact<z.output<typeof alertSchema>, Alert>(true),
  exact<z.output<typeof feedInfoSchema>, FeedInfo>(true),
  exact<z.output<typeof feedSnapshotSchema>, FeedSnapshot>(true),
  exact<z.output<typeof feedListSchema>, FeedList>(true),
  exact<z.output<typeof feedStatusSchema>, FeedStatus>(true),
  exact<z.output<typeof postRemovalSchema>, PostRemoval>(true),
  exact<z.output<typeof alertChangeSchema>, AlertChange>(true),
  exact<z.output<typeof apiErrorSchema>, ApiError>(true),
];
