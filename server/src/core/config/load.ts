// Reading `.initaudit.yml` text into a Config, and merging it over the editor's settings.
// YAML syntax errors and schema errors both come back with the 1-based line and column of the
// offending node, so the CLI can print `path:line:col message` and the editor can point at it.

import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { CONFIG_SCHEMA, DEFAULT_CONFIG, type Config } from './schema';

export const CONFIG_FILE = '.initaudit.yml';

export interface ConfigError {
  path: string;
  /** 1-based, for humans (the CLI prints them as is; the editor subtracts 1). */
  line: number;
  column: number;
  message: string;
}

export interface LoadedConfig {
  /** Keys the file sets, validated (defaults not filled in), so they can be merged over settings. */
  values: Partial<Config>;
  errors: ConfigError[];
}

/** Parses and validates a config file's text. Never throws. */
export function parseConfigText(text: string, path: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors: ConfigError[] = [];
  const at = (offset: number, message: string): ConfigError => {
    const { line, col } = lineCounter.linePos(offset);
    return { path, line, column: col, message };
  };
  for (const e of doc.errors) errors.push(at(e.pos[0], e.message.split('\n')[0] ?? e.message));
  if (errors.length > 0) return { values: {}, errors };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    return { values: {}, errors: [at(0, e instanceof Error ? e.message : String(e))] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { values: {}, errors: [at(doc.contents?.range?.[0] ?? 0, 'expected a mapping of settings (rules, exclude, maxFileSize, secretBackend, baseline)')] };
  }
  const checked = CONFIG_SCHEMA.safeParse(raw);
  if (!checked.success) {
    for (const issue of checked.error.issues) errors.push(at(offsetOf(doc.contents, issue), describeIssue(issue)));
    return { values: {}, errors };
  }
  const values: Partial<Config> = {};
  for (const key of Object.keys(raw) as (keyof Config)[]) Object.assign(values, { [key]: checked.data[key] });
  return { values, errors };
}

/**
 * The effective config: schema defaults, then the editor's settings (undefined for the CLI),
 * then the file's keys. The file wins so that the CLI in CI and the editor agree; `rules` merges
 * per rule. Invalid settings are dropped key by key and reported.
 */
export function resolveConfig(settings: unknown, file: Partial<Config> = {}): { config: Config; settingErrors: string[] } {
  const settingErrors: string[] = [];
  const base: Record<string, unknown> = {};
  if (typeof settings === 'object' && settings !== null) {
    for (const [key, value] of Object.entries(settings)) {
      if (!(key in CONFIG_SCHEMA.shape) || value === undefined) continue;
      const one = CONFIG_SCHEMA.shape[key as keyof Config].safeParse(value);
      if (one.success) base[key] = one.data;
      else settingErrors.push(`initaudit.${key}: ${one.error.issues.map((i) => describeIssue(i)).join('; ')}`);
    }
  }
  const merged = { ...DEFAULT_CONFIG, ...base, ...file } as Config;
  merged.rules = { ...((base['rules'] as Config['rules'] | undefined) ?? {}), ...(file.rules ?? {}) };
  return { config: merged, settingErrors };
}

export function formatConfigError(e: ConfigError): string {
  return `${e.path}:${e.line}:${e.column} ${e.message}`;
}

/** Where in the YAML an issue points: the deepest node on its path (the key, for unknown keys). */
function offsetOf(root: Node | null | undefined, issue: z.core.$ZodIssue): number {
  let node: unknown = root;
  let offset = rangeStart(root);
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      // Unknown or invalid keys point at the key; invalid values at the value.
      const last = segment === path[path.length - 1];
      const keyed = last && (issue.code === 'unrecognized_keys' || issue.code === 'invalid_key');
      node = keyed ? pair.key : pair.value;
      offset = rangeStart(node) ?? offset;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      node = (node as { items: unknown[] }).items[Number(segment)];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset ?? 0;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 ? ` (known: ${Object.keys(CONFIG_SCHEMA.shape).join(', ')})` : '';
    return `${where}unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}${known}`;
  }
  return `${where}${issue.message}`;
}
