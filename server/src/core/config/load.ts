// Reading `.initaudit.yml` text into a Config, and merging it over the editor's settings.
// YAML syntax errors and schema errors both come back with the 1-based line and column of the
// offending node, so the CLI can print `path:line:col message` and the editor can point at it.

import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { CONFIG_KEYS, CONFIG_SCHEMA, DEFAULT_CONFIG, DEFAULT_MAX_FILE_SIZE, RULE_LEVELS, SECRET_BACKENDS, type Config } from './schema';
import { formatSize, SIZE_UNITS } from './sizes';
import { closest } from './suggest';

export const CONFIG_FILE = '.initaudit.yml';

export interface ConfigError {
  path: string;
  /** 1-based, for humans (the CLI prints them as is; the editor subtracts 1). */
  line: number;
  column: number;
  /** Characters from `column` the problem spans (the key or value), when known. */
  length?: number;
  message: string;
  /** The replacement of that span that most likely fixes it ("did you mean …?"), for a quick fix. */
  fix?: { title: string; newText: string };
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
  const at = (offset: number, problem: Problem): ConfigError => {
    const { line, col } = lineCounter.linePos(offset);
    return { path, line, column: col, ...problem };
  };
  for (const e of doc.errors) errors.push(at(e.pos[0], { message: yamlProblem(e.code, e.message, text.slice(e.pos[0], e.pos[0] + 200)) }));
  if (errors.length > 0) return { values: {}, errors };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    return { values: {}, errors: [at(0, { message: `Not valid YAML: ${e instanceof Error ? e.message : String(e)}.` })] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { values: {}, errors: [at(doc.contents?.range?.[0] ?? 0, { message: `This file must be a mapping of settings: ${CONFIG_KEYS.join(', ')}.` })] };
  }
  const checked = CONFIG_SCHEMA.safeParse(raw);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      // One error per unknown key, each at its key, each with its own suggestion.
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        const { offset, length } = spanOf(doc.contents, issue, key);
        errors.push(at(offset, { ...configProblem(issue, key, raw as Record<string, unknown>), ...(length !== undefined ? { length } : {}) }));
      }
    }
    // In file order, whatever order the schema checked them in.
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
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
      else {
        const setting = (k: string): string => `initaudit.${k}`;
        const message = one.error.issues.map((i) => configProblem({ ...i, path: [key, ...i.path] } as z.core.$ZodIssue, undefined, { [key]: value }, setting).message).join(' ');
        settingErrors.push(message.includes(setting(key)) ? message : `${setting(key)}: ${message}`);
      }
    }
  }
  const merged = { ...DEFAULT_CONFIG, ...base, ...file } as Config;
  merged.rules = { ...((base['rules'] as Config['rules'] | undefined) ?? {}), ...(file.rules ?? {}) };
  return { config: merged, settingErrors };
}

export function formatConfigError(e: ConfigError): string {
  return `${e.path}:${e.line}:${e.column} ${e.message}`;
}

/** Where in the YAML an issue points: the deepest node on its path (the key, for unknown or invalid keys). */
function spanOf(root: Node | null | undefined, issue: z.core.$ZodIssue, unknownKey: string | undefined): { offset: number; length?: number } {
  let node: unknown = root;
  let offset = rangeStart(root);
  const path: PropertyKey[] = [...issue.path];
  if (unknownKey !== undefined) path.push(unknownKey);
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
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  // Only a scalar on one line has a span a quick fix can replace.
  const length = isScalar(node) && range && !String(node.source ?? '').includes('\n') ? range[1] - range[0] : undefined;
  return { offset: offset ?? 0, ...(length !== undefined && length > 0 ? { length } : {}) };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

type Problem = Pick<ConfigError, 'message' | 'fix'>;

const KEY_EXAMPLES: Record<keyof Config, string> = {
  rules: 'a mapping from rule id to level, such as "env-forked-nil-secret: error"',
  exclude: 'a list of glob patterns, such as "- legacy/**"',
  maxFileSize: 'a size such as 512 KiB',
  secretBackend: `one of ${SECRET_BACKENDS.join(', ')}`,
  baseline: 'a file name, such as .initaudit-baseline.json',
};

/**
 * A schema issue in the words of the docs, with the likely correction when there is one. `name`
 * says a setting's name: `"exclude"` in the file, `initaudit.exclude` in the editor's settings.
 */
function configProblem(issue: z.core.$ZodIssue, unknownKey: string | undefined, raw: Record<string, unknown>, name = (key: string): string => `"${key}"`): Problem {
  const [top, second] = issue.path.map(String);
  if (unknownKey !== undefined) {
    const known = issue.path.length === 0 ? CONFIG_KEYS : [];
    const guess = closest(unknownKey, known);
    return guess
      ? { message: `Unknown setting "${unknownKey}": did you mean "${guess}"?`, fix: { title: `Rename "${unknownKey}" to "${guess}"`, newText: guess } }
      : { message: `Unknown setting "${unknownKey}": the settings are ${list(CONFIG_KEYS)}.` };
  }
  if (top === 'rules' && second !== undefined) {
    if (issue.code === 'invalid_key') return { message: `"${second}" is not a rule id: rule ids are lowercase words joined by dashes, such as env-forked-nil-secret.` };
    const value = (raw['rules'] as Record<string, unknown> | undefined)?.[second];
    return withGuess(value, RULE_LEVELS, `is not a level for ${second}`);
  }
  if (top === 'secretBackend' && issue.code === 'invalid_value') return withGuess(raw['secretBackend'], SECRET_BACKENDS, 'is not a secret backend');
  if (top === 'exclude' && second !== undefined) return { message: `Each ${name('exclude')} entry must be a glob pattern (a non-empty string), such as legacy/**.` };
  if (top === 'maxFileSize' && issue.code === 'custom') {
    const bytes = typeof issue.params?.['bytes'] === 'number' ? issue.params['bytes'] : undefined;
    return bytes !== undefined
      ? { message: `${name('maxFileSize')} is ${formatSize(bytes)}, over the limit of ${formatSize(DEFAULT_MAX_FILE_SIZE)}.` }
      : { message: `${name('maxFileSize')} must be a number with a unit (${SIZE_UNITS}), such as 512 KiB; ${JSON.stringify(raw['maxFileSize'])} is not a size.` };
  }
  if (top !== undefined && top in KEY_EXAMPLES) return { message: `${name(top)} must be ${KEY_EXAMPLES[top as keyof Config]}.` };
  return { message: `${top ? `"${issue.path.map(String).join('.')}": ` : ''}${issue.message}.` };
}

/** `"<value>" <what>`, then "did you mean" and its fix when a known value is close, else the known values. */
function withGuess(value: unknown, known: readonly string[], what: string): Problem {
  const shown = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  const guess = typeof value === 'string' ? closest(value, known) : undefined;
  if (!guess) return { message: `${shown} ${what}: use ${list(known, 'or')}.` };
  return { message: `${shown} ${what}: did you mean "${guess}"?`, fix: { title: `Change ${shown} to "${guess}"`, newText: guess } };
}

/** YAML syntax errors: a duplicate key in plain words, the others as the parser says them. */
function yamlProblem(code: string, message: string, rest: string): string {
  const key = /^[\w.-]+/.exec(rest)?.[0];
  if (code === 'DUPLICATE_KEY') return `${key ? `"${key}"` : 'A setting'} appears twice: keep one.`;
  const first = message.split('\n')[0] ?? message;
  return `Not valid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}${/[.:]$/.test(first) ? '' : '.'}`;
}

function list(words: readonly string[], last = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}
