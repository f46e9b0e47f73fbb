/**
 * The config file (`--config path` or `COMMUNE_FEED_CONFIG`): its schema, and reading it with
 * every error naming its key. The configuration reference, `docs/configuration.md`, lists every key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fieldPath } from '../field-path.js';
import { feedSettingsSchema, INTERVAL_LIMITS, interval, type FeedSettings } from '../feeds/settings.js';
import { ConfigError, type ConfigErrors } from './config-error.js';

/** Every feed of the file: the one schema of feed settings (see `feeds/settings.ts`). */
export const feedSchema = feedSettingsSchema;

/** A feed as the file declares it, in the canonical form of its settings. */
export type FeedConfig = FeedSettings;

/** The config file's schema. */
export const configFileSchema = z
  .object({
    feeds: z
      .array(feedSchema)
      .min(1, 'must declare at least one feed')
      .superRefine((feeds, ctx) => {
        const seen = new Set<string>();
        feeds.forEach((f, i) => {
          if (seen.has(f.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${f.id}" is declared twice` });
          seen.add(f.id);
        });
      }),
    x: z
      .object({
        /** Post reads allowed per calendar month (UTC), across all feeds. */
        monthlyPostBudget: z.number().int().min(0).optional(),
        /** Hours between two compliance re-checks of the displayed posts. */
        recheckHours: interval(INTERVAL_LIMITS.recheckHours, 'hours', false).optional(),
        /** Pages read at most per poll when catching up. */
        maxPagesPerPoll: z.number().int().min(1).max(50).optional(),
        /** Poll interval inside an event window, and outside one, in seconds. */
        fastPollSeconds: interval(INTERVAL_LIMITS.fastPollSeconds, 'seconds').optional(),
        slowPollSeconds: interval(INTERVAL_LIMITS.slowPollSeconds, 'seconds').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.output<typeof configFileSchema>;

/** The feed served when no config file is given. */
export function defaultFeeds(withX: boolean): FeedConfig[] {
  return [
    feedSchema.parse({
      id: 'saint-etienne',
      title: 'Fête du livre de Saint-Étienne',
      sources: [{ network: withX ? 'x' : 'demo', accounts: ['saint_etienne_'] }],
      hashtags: ['FeteDuLivre'],
    }),
  ];
}

/** Reads the JSON text of a config file: its content, or every error, each naming its key. */
function readConfigFile(text: string, file: string): { file?: ConfigFile; errors: ConfigError[] } {
  let json: unknown;
  try {
    // Windows editors save UTF-8 with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { errors: [new ConfigError(file, `is not valid JSON (${(err as Error).message})`)] };
  }
  const result = configFileSchema.safeParse(json);
  if (result.success) return { file: result.data, errors: [] };
  return { errors: result.error.issues.map((issue) => new ConfigError(fieldPath(issue.path, file), issue.message)) };
}

/** Parses the JSON text of a config file; throws ConfigError naming the key. */
export function parseConfigFile(text: string, file = 'config'): ConfigFile {
  const { file: parsed, errors } = readConfigFile(text, file);
  if (errors[0]) throw errors[0];
  return parsed!;
}

/** Finds `--config path` in argv. */
export function configPathFromArgs(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i === -1) return undefined;
  const arg = argv[i]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!value) throw new ConfigError('--config', 'needs a file path');
  return value;
}

/** The config file named by `--config` or `COMMUNE_FEED_CONFIG`, if any: its path and its content when readable. */
export function configFileFrom(
  env: NodeJS.ProcessEnv,
  argv: string[],
  errors: ConfigErrors,
): { configFile?: string; file?: ConfigFile } {
  const configFile = errors.read(undefined, () => configPathFromArgs(argv)) ?? (env.COMMUNE_FEED_CONFIG || undefined);
  if (!configFile) return {};
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    errors.add(new ConfigError(configFile, `cannot be read (${code})`));
    return { configFile };
  }
  const parsed = readConfigFile(text, path.basename(configFile));
  for (const error of parsed.errors) errors.add(error);
  return { configFile, file: parsed.file };
}
