// The one schema for `.initaudit.yml` and the `initaudit.*` editor settings. It is the single
// source of defaults: the CLI, the language server and package.json's `contributes.configuration`
// (checked by test/config/settings.test.ts) all take them from here.

import { z } from 'zod';
import type { WorkspaceSettings } from '../types';
import { formatSize, parseSize, SIZE_UNITS } from './sizes';

export const RULE_LEVELS = ['off', 'on', 'error', 'warning', 'info', 'hint'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

/** What each level does, for the Settings UI (`enumDescriptions`) and messages. */
export const RULE_LEVEL_DESCRIPTIONS: Record<RuleLevel, string> = {
  off: 'Not reported.',
  on: "Reported at the rule's default severity.",
  error: 'Reported as an error: fails the CLI run by default.',
  warning: 'Reported as a warning.',
  info: 'Reported as information.',
  hint: 'Reported as a hint: dots in the editor, not listed in Problems.',
};

export const SECRET_BACKENDS = ['auto', 'chamber', 'credentials', 'env'] as const satisfies readonly WorkspaceSettings['secretBackend'][];
export type SecretBackend = (typeof SECRET_BACKENDS)[number];

export const SECRET_BACKEND_DESCRIPTIONS: Record<SecretBackend, string> = {
  auto: 'What the app already uses: Chamber when it has it, else Rails credentials when production has a credentials file, else the environment only.',
  chamber: 'ENV first, then Chamber.dig(...).',
  credentials: 'ENV first, then Rails.application.credentials.dig(...).',
  env: 'The environment variable only.',
};

/** Same limit as files/read-source.ts: nothing larger is read by the CLI either. */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export const CONFIG_SCHEMA = z
  .object({
    rules: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a rule id is lowercase words joined by dashes'), z.enum(RULE_LEVELS))
      .default({})
      .describe('Per rule: off, on (default severity), or a severity (error, warning, info, hint).'),
    exclude: z.array(z.string().min(1)).default([]).describe('Glob patterns, relative to the workspace root, of files not to audit.'),
    // A size with a unit ("512 KiB"), or a number of bytes; the result is bytes.
    maxFileSize: z
      .union([z.number(), z.string()])
      .transform((value, ctx) => {
        const bytes = parseSize(value);
        if (bytes !== undefined && bytes <= DEFAULT_MAX_FILE_SIZE) return bytes;
        // config/load.ts words it; `bytes` tells a size over the limit from text that is not a size.
        ctx.issues.push({
          code: 'custom',
          input: value,
          ...(bytes !== undefined ? { params: { bytes } } : {}),
          message: bytes === undefined ? `not a size (a number with a unit: ${SIZE_UNITS})` : `over ${formatSize(DEFAULT_MAX_FILE_SIZE)}`,
        });
        return z.NEVER;
      })
      .default(DEFAULT_MAX_FILE_SIZE)
      .describe(`Files larger than this are skipped: a size such as 512 KiB (at most ${formatSize(DEFAULT_MAX_FILE_SIZE)}).`),
    secretBackend: z
      .enum(SECRET_BACKENDS)
      .default('auto')
      .describe('Where fixes read secrets from: auto (what the app already uses), chamber, credentials or env.'),
    // Empty means none: a plain string, so the Settings UI can edit it.
    baseline: z
      .string()
      .default('')
      .describe('Baseline file (from `initaudit --write-baseline`), relative to the workspace root; findings in it are not reported. Empty: none.'),
  })
  .strict();

export type Config = z.infer<typeof CONFIG_SCHEMA>;

export const DEFAULT_CONFIG: Config = CONFIG_SCHEMA.parse({});

/** The top-level keys, in schema order: `initaudit.<key>` in the editor. */
export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA.shape) as (keyof Config)[];
