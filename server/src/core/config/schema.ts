// The one schema for `.initaudit.yml` and the `initaudit.*` editor settings. It is the single
// source of defaults: the CLI, the language server and package.json's `contributes.configuration`
// (checked by test/config/settings.test.ts) all take them from here.

import { z } from 'zod';
import type { WorkspaceSettings } from '../types';

export const RULE_LEVELS = ['off', 'on', 'error', 'warning', 'info', 'hint'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export const SECRET_BACKENDS = ['auto', 'chamber', 'credentials', 'env'] as const satisfies readonly WorkspaceSettings['secretBackend'][];
export type SecretBackend = (typeof SECRET_BACKENDS)[number];

/** Same limit as files/read-source.ts: nothing larger is read by the CLI either. */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export const CONFIG_SCHEMA = z
  .object({
    rules: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a rule id is lowercase words joined by dashes'), z.enum(RULE_LEVELS))
      .default({})
      .describe('Per rule: off, on (default severity), or a severity (error, warning, info, hint).'),
    exclude: z.array(z.string().min(1)).default([]).describe('Glob patterns, relative to the workspace root, of files not to audit.'),
    maxFileSize: z
      .number()
      .int()
      .positive()
      .max(DEFAULT_MAX_FILE_SIZE)
      .default(DEFAULT_MAX_FILE_SIZE)
      .describe('Files larger than this many bytes are skipped (at most 1 MiB).'),
    secretBackend: z
      .enum(SECRET_BACKENDS)
      .default('auto')
      .describe('Where fixes read secrets from: auto (what the app already uses), chamber, credentials or env.'),
    baseline: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('Baseline file (from `initaudit --write-baseline`), relative to the workspace root; findings in it are not reported.'),
  })
  .strict();

export type Config = z.infer<typeof CONFIG_SCHEMA>;

export const DEFAULT_CONFIG: Config = CONFIG_SCHEMA.parse({});

/** The top-level keys, in schema order: `initaudit.<key>` in the editor. */
export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA.shape) as (keyof Config)[];
