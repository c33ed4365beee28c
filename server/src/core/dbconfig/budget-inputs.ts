// The inputs of a connection budget, each a number with the file and line it comes from: the
// environment a deployed process gets (literal values only; anything injected from elsewhere is
// opaque), and how many connections one replica of a process can open, read from the app's own config:
// Rails web (Puma workers × Active Record pool), Sidekiq (concurrency, capped by the pool), Node
// (a pg Pool's or postgres.js client's max, Prisma's connection_limit).

import { dirname, join, relative } from 'node:path';
import type { Range, Workspace } from '../types';
import { LineIndex } from '../text';
import { databaseYml } from './rails-database';
import { intExpr, yamlIntExpr, type IntExpr } from './ruby-values';
import { isMap, pairOf, parseYaml, scalarText, valueOf } from './yaml';

export interface Place {
  path: string;
  range: Range;
  /** What the number is, for related locations: `pool in config/database.yml`. */
  what: string;
}

export interface Num {
  value: number;
  /** How it was obtained, for the hover: `pool 5`, `2 workers × 5 threads`. */
  why: string;
  places: Place[];
}

/** A process's environment as its deployment sets it: literal values by name, and whether anything else is injected. */
export interface EnvView {
  values: Map<string, { value: string; place: Place }>;
  /** env_file, envFrom, secrets, valueFrom…: names not listed may still be set. */
  opaque: boolean;
  /** Names set from somewhere unreadable (a secret, a valueFrom). */
  opaqueNames: Set<string>;
}

export const EMPTY_ENV: EnvView = { values: new Map(), opaque: false, opaqueNames: new Set() };

export type ProcessKind = 'rails-web' | 'sidekiq' | 'node';

export function processKind(command: string): ProcessKind | undefined {
  if (/\bsidekiq\b/.test(command)) return 'sidekiq';
  if (/\bpuma\b|\brails\s+s(?:erver)?\b/.test(command)) return 'rails-web';
  if (/(?:^|[\s"'[,/])(?:node|npm|yarn|pnpm|bun|npx|tsx|ts-node)(?=[\s"',\]]|$)/.test(command)) return 'node';
  return undefined;
}

/** A whole number from an expression and the process environment; undefined when anything it needs is unknown. */
export function resolveInt(expr: IntExpr | undefined, env: EnvView, place: Place, label: string): Num | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'int') return { value: expr.value, why: `${label} ${expr.value}`, places: [place] };
  const set = env.values.get(expr.name);
  if (set) {
    const n = /^\s*(\d{1,6})\s*$/.exec(set.value);
    return n ? { value: Number(n[1]), why: `${label} ${n[1]} (${expr.name})`, places: [place, set.place] } : undefined;
  }
  if (env.opaque || env.opaqueNames.has(expr.name) || expr.fallback === undefined) return undefined;
  return { value: expr.fallback, why: `${label} ${expr.fallback} (${expr.name} unset)`, places: [place] };
}

function placeAt(ws: Workspace, path: string, start: number, end: number, what: string): Place {
  const lines = new LineIndex(ws.readFile(path) ?? '');
  return { path, range: { start: lines.positionAt(start), end: lines.positionAt(end) }, what };
}

/** Active Record's pool for production: `pool` (or `max_connections`), 5 when absent; only for a single-database config. */
export function railsPool(ws: Workspace, appRoot: string, env: EnvView): Num | undefined {
  const path = join(appRoot, 'config', 'database.yml');
  const text = ws.readFile(path);
  if (text === undefined) return undefined;
  const { file, configs } = databaseYml(text);
  const prod = configs.filter((c) => c.env === 'production');
  if (prod.length !== 1) return undefined;
  const c = prod[0]!;
  const pair = pairOf(c.doc, c.map, 'max_connections') ?? pairOf(c.doc, c.map, 'pool');
  const rel = relative(appRoot, path);
  if (!pair) {
    const at = (c.map as { range?: [number, number, number] }).range;
    return at ? { value: 5, why: 'pool 5 by default', places: [placeAt(ws, path, at[0], at[0], `production in ${rel}`)] } : undefined;
  }
  const range = (pair.value as { range?: [number, number, number] }).range;
  const keyRange = (pair.key as { range?: [number, number, number] }).range;
  if (!range || !keyRange) return undefined;
  return resolveInt(yamlIntExpr(scalarText(file, pair.value)), env, placeAt(ws, path, keyRange[0], range[1], `pool in ${rel}`), 'pool');
}

/** config/puma.rb: workers and max threads, with local variables and ENV defaults followed. */
export function pumaConfig(ws: Workspace, appRoot: string, env: EnvView): { workers?: Num; threads?: Num } | undefined {
  const path = join(appRoot, 'config', 'puma.rb');
  const text = ws.readFile(path);
  if (text === undefined) return undefined;
  const rel = relative(appRoot, path);
  const locals = new Map<string, IntExpr>();
  let workers: Num | undefined;
  let threads: Num | undefined;
  let workersLine = false;
  const re = /^([ \t]*)(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '' && re.lastIndex >= text.length) break;
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    const code = m[2]!.replace(/\s+#.*$/, '').trim();
    if (code.startsWith('#')) continue;
    const nested = m[1]!.length > 0;
    const start = m.index + m[1]!.length;
    const place = placeAt(ws, path, start, start + code.length, `${code.split(/\s/)[0]} in ${rel}`);
    const assign = /^([a-z_][a-z0-9_]*)\s*=\s*(.+)$/.exec(code);
    if (assign && !nested) {
      const e = expr(assign[2]!, locals);
      if (e) locals.set(assign[1]!, e);
      continue;
    }
    const w = /^workers\s*\(?\s*(.+?)\s*\)?$/.exec(code);
    if (w) {
      workersLine = true;
      // Inside a condition the count depends on it: unknown.
      workers = nested ? undefined : resolveInt(expr(w[1]!, locals), env, place, 'workers');
      continue;
    }
    const t = /^threads\s*\(?\s*(.+?)\s*,\s*(.+?)\s*\)?$/.exec(code);
    if (t) threads = nested ? undefined : resolveInt(expr(t[2]!, locals), env, place, 'threads');
  }
  if (!workersLine) {
    // Puma reads WEB_CONCURRENCY when the config does not set workers; single mode without it.
    const set = env.values.get('WEB_CONCURRENCY');
    if (set && /^\s*\d+\s*$/.test(set.value)) workers = { value: Number(set.value), why: `workers ${set.value.trim()} (WEB_CONCURRENCY)`, places: [set.place] };
    else if (!env.opaque && !env.opaqueNames.has('WEB_CONCURRENCY')) workers = { value: 1, why: 'single mode (no workers)', places: [] };
  }
  return { ...(workers ? { workers } : {}), ...(threads ? { threads } : {}) };
}

function expr(code: string, locals: Map<string, IntExpr>): IntExpr | undefined {
  const c = code.trim();
  if (/^[a-z_][a-z0-9_]*$/.test(c)) return locals.get(c);
  return intExpr(c);
}

/** config/sidekiq.yml concurrency (a production section wins), or `-c N` in the command. */
export function sidekiqConcurrency(ws: Workspace, appRoot: string, command: string, env: EnvView, commandPlace: Place): Num | undefined {
  const flag = /(?:^|\s)(?:-c|--concurrency)[\s=]+(\d{1,4})\b/.exec(command);
  if (flag) return { value: Number(flag[1]), why: `concurrency ${flag[1]} (-c)`, places: [commandPlace] };
  const path = join(appRoot, 'config', 'sidekiq.yml');
  const text = ws.readFile(path);
  if (text === undefined) return undefined;
  const file = parseYaml(text);
  const doc = file.docs[0];
  if (!doc) return undefined;
  const concurrency = (map: unknown) => (isMap(map) ? (pairOf(doc, map, ':concurrency') ?? pairOf(doc, map, 'concurrency')) : undefined);
  const pair = concurrency(valueOf(doc, doc.contents, 'production')) ?? concurrency(valueOf(doc, doc.contents, ':production')) ?? concurrency(doc.contents);
  const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
  const valueRange = (pair?.value as { range?: [number, number, number] } | undefined)?.range;
  if (!pair || !keyRange || !valueRange) return undefined;
  return resolveInt(yamlIntExpr(scalarText(file, pair.value)), env, placeAt(ws, path, keyRange[0], valueRange[1], `concurrency in ${relative(appRoot, path)}`), 'concurrency');
}

/** The first CMD (with ENTRYPOINT) of a Dockerfile, and its literal ENV values. */
export function dockerfile(ws: Workspace, dir: string): { command?: string; env: Map<string, { value: string; place: Place }> } | undefined {
  const path = join(dir, 'Dockerfile');
  const text = ws.readFile(path);
  if (text === undefined) return undefined;
  const env = new Map<string, { value: string; place: Place }>();
  let cmd: string | undefined;
  let entry: string | undefined;
  const re = /^[ \t]*(CMD|ENTRYPOINT|ENV|FROM)[ \t]+(.*)$/gim;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const what = m[1]!.toUpperCase();
    const arg = m[2]!.trim();
    if (what === 'FROM') {
      // A later stage starts afresh.
      env.clear();
      cmd = entry = undefined;
    } else if (what === 'CMD') cmd = arg;
    else if (what === 'ENTRYPOINT') entry = arg;
    else {
      for (const kv of arg.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g)) {
        const start = m.index + m[0].indexOf(kv[0]);
        env.set(kv[1]!, { value: kv[2]!.replace(/^["']|["']$/g, ''), place: placeAt(ws, path, start, start + kv[0].length, `${kv[1]} in Dockerfile`) });
      }
      const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*)$/.exec(arg);
      if (legacy && !arg.includes('=')) {
        const start = m.index + m[0].indexOf(arg);
        env.set(legacy[1]!, { value: legacy[2]!.trim(), place: placeAt(ws, path, start, start + arg.length, `${legacy[1]} in Dockerfile`) });
      }
    }
  }
  const command = [entry, cmd].filter(Boolean).join(' ');
  return { ...(command ? { command } : {}), env };
}

/** The app a deployment runs: the folder itself or the nearest above with a Gemfile or package.json, within the workspace. */
export function appRootFrom(ws: Workspace, dir: string): string | undefined {
  let d = dir;
  for (let guard = 0; guard < 30; guard++) {
    if (ws.fileExists(join(d, 'Gemfile')) || ws.fileExists(join(d, 'package.json'))) return d;
    const parent = dirname(d);
    if (parent === d || !parent.startsWith(ws.root) || d === ws.root) return undefined;
    d = parent;
  }
  return undefined;
}

const SKIP_DIRS = new Set(['node_modules/', '.git/', 'dist/', 'build/', 'out/', '.next/', 'coverage/', 'vendor/', 'test/', 'tests/', '__tests__/', 'e2e/']);
const MAX_SOURCE_FILES = 2000;

/**
 * The connections one Node process of an app can open: its single pg Pool's or postgres.js client's
 * `max` (10 when absent), else Prisma's `connection_limit` in the URL its deployment sets. Several pools,
 * or one created some other way, are unknown.
 */
export function nodePool(ws: Workspace, appRoot: string, env: EnvView): Num | undefined {
  const creations: { path: string; start: number; end: number; args: string; lib: 'pg' | 'postgres' }[] = [];
  const pending = [appRoot];
  let seen = 0;
  while (pending.length && seen < MAX_SOURCE_FILES) {
    const dir = pending.pop()!;
    for (const name of ws.listDir?.(dir) ?? []) {
      if (name.endsWith('/')) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.')) pending.push(join(dir, name.slice(0, -1)));
        continue;
      }
      if (!/\.(?:[cm]?[jt]s|tsx)$/.test(name) || /\.(?:test|spec|d)\.[cm]?[jt]sx?$/.test(name)) continue;
      seen++;
      const path = join(dir, name);
      const text = ws.readFile(path);
      if (!text) continue;
      const pg = /from\s+['"]pg['"]|require\(\s*['"]pg['"]\s*\)/.test(text);
      const pjs = /from\s+['"]postgres['"]|require\(\s*['"]postgres['"]\s*\)/.test(text);
      if (!pg && !pjs) continue;
      const re = pg ? /\bnew\s+(?:pg\.)?Pool\s*\(/g : /\bpostgres\s*\(/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const open = m.index + m[0].length - 1;
        const close = matching(text, open);
        if (close < 0) return undefined;
        creations.push({ path, start: m.index, end: close + 1, args: text.slice(open + 1, close), lib: pg ? 'pg' : 'postgres' });
      }
    }
  }
  if (creations.length > 1) return undefined;
  const c = creations[0];
  if (c) {
    const what = c.lib === 'pg' ? 'pg Pool' : 'postgres.js client';
    const place = placeAt(ws, c.path, c.start, c.end, `${what} in ${relative(appRoot, c.path)}`);
    const max = /\bmax\s*:\s*([^,}\n]+)/.exec(c.args);
    if (!max) return /\bmax\b|\.\.\./.test(c.args) ? undefined : { value: 10, why: `${what} max 10 by default`, places: [place] };
    const v = max[1]!.trim();
    if (/^\d{1,5}$/.test(v)) return { value: Number(v), why: `${what} max ${v}`, places: [place] };
    const envMax = /process\.env\.([A-Za-z_][A-Za-z0-9_]*)\)?\s*(?:\?\?|\|\|)\s*['"]?(\d{1,5})/.exec(v);
    return envMax ? resolveInt({ kind: 'env', name: envMax[1]!, fallback: Number(envMax[2]) }, env, place, `${what} max`) : undefined;
  }
  const url = env.values.get('DATABASE_URL');
  const limit = url ? /[?&]connection_limit=(\d{1,5})\b/.exec(url.value) : undefined;
  return url && limit ? { value: Number(limit[1]), why: `Prisma connection_limit ${limit[1]}`, places: [url.place] } : undefined;
}

/** The offset of the bracket closing the one at `open`, skipping strings; -1 if none. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 20000; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      for (i++; i < text.length && text[i] !== q; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
