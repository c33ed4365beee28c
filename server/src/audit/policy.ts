// Loading a project's policy from disk: `.initaudit.yml` (or the file given), merged over the
// editor's settings, and the baseline it names. Shared by the CLI and the language server.

import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseBaseline, type Baseline } from '../core/baseline';
import { CONFIG_FILE, parseConfigText, resolveConfig, type ConfigError } from '../core/config/load';
import type { Config } from '../core/config/schema';
import { Policy } from '../core/policy';
import { describeFsError } from '../files/fs-errors';

export interface PolicySource {
  /** Config file; default `<root>/.initaudit.yml`, which may be absent (an explicit one may not). */
  configPath?: string;
  /** Baseline file, overriding the config's `baseline` key. */
  baselinePath?: string;
  /** The editor's `initaudit.*` settings for this folder. */
  settings?: unknown;
  /** Whether to load the baseline (not when writing a new one). */
  useBaseline?: boolean;
}

export interface LoadedPolicy {
  policy: Policy;
  configPath: string | undefined;
  baselinePath: string | undefined;
  /** Problems in the config file, each pointing at a line; the policy then uses the other sources. */
  configErrors: ConfigError[];
  /** Other problems: invalid settings, an unreadable baseline. */
  errors: string[];
}

export function loadPolicy(root: string, source: PolicySource = {}): LoadedPolicy {
  const errors: string[] = [];
  const configErrors: ConfigError[] = [];
  const explicit = source.configPath !== undefined;
  const configPath = source.configPath ?? join(root, CONFIG_FILE);
  let fileValues: Partial<Config> = {};
  let foundConfig: string | undefined;
  const text = readText(configPath);
  if (typeof text === 'string') {
    foundConfig = configPath;
    const parsed = parseConfigText(text, configPath);
    configErrors.push(...parsed.errors);
    fileValues = parsed.values;
  } else if (explicit || text.reason !== 'vanished') {
    configErrors.push({ path: configPath, line: 1, column: 1, message: `cannot read the config file: ${text.detail}` });
  }
  const { config, settingErrors } = resolveConfig(source.settings, fileValues);
  errors.push(...settingErrors);

  let baseline: Baseline | undefined;
  const baselineName = source.baselinePath ?? config.baseline ?? undefined;
  const baselinePath = baselineName === undefined ? undefined : isAbsolute(baselineName) ? baselineName : resolve(root, baselineName);
  if (baselinePath && source.useBaseline !== false) {
    const raw = readText(baselinePath);
    if (typeof raw !== 'string') errors.push(`${baselinePath}: cannot read the baseline: ${raw.detail}`);
    else {
      try {
        baseline = parseBaseline(raw);
      } catch (e) {
        errors.push(`${baselinePath}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { policy: new Policy(root, config, baseline), configPath: foundConfig, baselinePath, configErrors, errors };
}

function readText(path: string): string | { reason: string; detail: string } {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const failure = describeFsError(e);
    return failure.reason === 'vanished' ? { reason: 'vanished', detail: 'no such file' } : failure;
  }
}
