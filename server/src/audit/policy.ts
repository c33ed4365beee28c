// Loading a project's policy from disk: `.initaudit.yml` (or the file given), merged over the
// editor's settings, and the baseline it names. Shared by the CLI and the language server.

import { isAbsolute, join, resolve } from 'node:path';
import { parseBaseline, type Baseline } from '../core/baseline';
import { CONFIG_FILE, parseConfigText, resolveConfig, type ConfigError } from '../core/config/load';
import type { Config } from '../core/config/schema';
import { decodeText, FileAccess } from '../core/file-access';
import { Policy } from '../core/policy';

/** A config is a few hundred bytes; a huge one (a million `exclude` entries) would exhaust memory. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** A baseline holds one short record per finding: this is millions of them. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface PolicySource {
  /** Config file the user named; default `<root>/.initaudit.yml`, which may be absent (an explicit one may not). */
  configPath?: string;
  /** Baseline file the user named, overriding the config's `baseline` key (which must stay inside the root). */
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
  // Files the user named may be anywhere; a path that comes from the project (the config's `baseline:`) may not.
  const access = new FileAccess([root], [source.configPath, source.baselinePath].filter((p): p is string => p !== undefined));
  let fileValues: Partial<Config> = {};
  let foundConfig: string | undefined;
  const text = readText(access, configPath, MAX_CONFIG_BYTES);
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
  const baselineName = source.baselinePath ?? (config.baseline !== '' ? config.baseline : undefined);
  const baselinePath = baselineName === undefined ? undefined : isAbsolute(baselineName) ? baselineName : resolve(root, baselineName);
  if (baselinePath && source.useBaseline !== false) {
    const raw = readText(access, baselinePath, MAX_BASELINE_BYTES);
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

function readText(access: FileAccess, path: string, maxBytes: number): string | { reason: string; detail: string } {
  const read = access.read(path, maxBytes);
  if (read.ok) return decodeText(read.bytes).text;
  const { reason, detail, size } = read.refusal;
  if (reason === 'vanished') return { reason, detail: 'no such file' };
  if (reason === 'too-large') return { reason, detail: `too large: ${size ?? maxBytes + 1} bytes, at most ${maxBytes}` };
  return { reason, detail };
}
