// Where a JS/TS project's test-only dummy env var goes: the setup file its vitest or jest config
// loads first. When there is none, the fix creates test/setup-env.(ts|js) and registers it in a
// vitest `test: {` block when it can; otherwise the fix's note tells the user to register it.
// Config files are read as text (never executed): only literal setupFiles entries are understood.

import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { detectEol, LineIndex } from '../text';
import type { FileChange, TextEdit, Workspace } from '../types';

const VITEST_CONFIGS = ['vitest.config.ts', 'vitest.config.mts', 'vitest.config.js', 'vitest.config.mjs', 'vitest.config.cts', 'vitest.config.cjs', 'vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs'];
const JEST_CONFIGS = ['jest.config.ts', 'jest.config.js', 'jest.config.mjs', 'jest.config.cjs'];

/** The nearest folder with a package.json, within the workspace. */
export function jsProjectRoot(ws: Workspace, file: string): string {
  let dir = dirname(file);
  for (;;) {
    if (ws.fileExists(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir || dir === ws.root || !dir.startsWith(ws.root)) return ws.root;
    dir = parent;
  }
}

export interface SetupTarget {
  /** The setup file that receives the dummy. */
  path: string;
  /** A config edit that registers a newly created setup file. */
  register?: FileChange;
  /** Set when the user must register the file by hand. */
  note?: string;
}

export function setupTarget(ws: Workspace, file: string): SetupTarget {
  const root = jsProjectRoot(ws, file);
  const ts = ws.fileExists(join(root, 'tsconfig.json')) || /\.[cm]?tsx?$/.test(file);
  const fallback = join(root, 'test', `setup-env.${ts ? 'ts' : 'js'}`);
  for (const name of [...VITEST_CONFIGS, ...JEST_CONFIGS]) {
    const configPath = join(root, name);
    const text = ws.readFile(configPath);
    if (text === undefined) continue;
    const entries = setupFileEntries(text);
    const listed = entries?.map((e) => projectFile(ws, root, e)).find((p) => p !== undefined);
    if (listed) return { path: listed };
    // setupFiles lists only packages or computed paths: adding a second key would override them.
    if (entries) return { path: fallback, note: `add ${relative(root, fallback)} to setupFiles in ${name}` };
    const register = registerEdit(configPath, text, relative(root, fallback).split('\\').join('/'), name.startsWith('jest'));
    if (register) return { path: fallback, register };
    return { path: fallback, note: `add ${relative(root, fallback)} to setupFiles in ${name}` };
  }
  const pkg = ws.readFile(join(root, 'package.json'));
  const listed = (pkg ? jestSetupFromPackage(pkg) : [])?.map((e) => projectFile(ws, root, e)).find((p) => p !== undefined);
  if (listed) return { path: listed };
  return { path: fallback, note: `no vitest or jest config found: load ${relative(root, fallback)} before your tests (e.g. setupFiles)` };
}

function jestSetupFromPackage(pkg: string): string[] | undefined {
  try {
    const json = JSON.parse(pkg) as { jest?: { setupFiles?: unknown } };
    const files = json.jest?.setupFiles;
    return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The string literals of the config's `setupFiles` (the first one, outside comments), or
 * undefined when it has none. A template literal or any other expression is left out: its value
 * is only known by running the config.
 */
export function setupFileEntries(text: string): string[] | undefined {
  const code = withoutComments(text);
  const m = /\bsetupFiles\s*:\s*/.exec(code);
  if (!m) return undefined;
  const rest = code.slice(m.index + m[0].length);
  const literal = /^(["'])((?:(?!\1)[^\\\r\n])*)\1/;
  if (!rest.startsWith('[')) {
    const one = literal.exec(rest);
    return one?.[2] !== undefined ? [one[2]] : [];
  }
  const out: string[] = [];
  // Elements up to the closing bracket: literals are kept, anything else (`${...}`, calls) skipped.
  let at = 1;
  for (let guard = 0; guard < 1000 && at < rest.length; guard++) {
    const tail = rest.slice(at).replace(/^[\s,]+/, '');
    at = rest.length - tail.length;
    if (tail.startsWith(']') || tail === '') break;
    const one = literal.exec(tail);
    if (one?.[2] !== undefined) {
      out.push(one[2]);
      at += one[0].length;
      continue;
    }
    // Skip one non-literal element: to the next comma or bracket outside quotes and brackets.
    let depth = 0;
    let quote: string | undefined;
    let i = 0;
    for (; i < tail.length; i++) {
      const c = tail[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    at += Math.max(1, i);
  }
  return out;
}

/**
 * A setupFiles entry as a file of this project: a literal relative path (`./x`, `../x`,
 * `<rootDir>/x`) that stays inside the project, or a bare `dir/file.ts` that exists there.
 * Packages (`dotenv/config`) and paths leaving the project are not files to edit or create.
 */
function projectFile(ws: Workspace, root: string, entry: string): string | undefined {
  const rel = entry.replace(/^<rootDir>\//, './');
  if (isAbsolute(rel) || /^[a-z][\w+.-]*:/i.test(rel)) return undefined;
  const explicit = rel.startsWith('./') || rel.startsWith('../');
  if (!explicit && !/\.[cm]?[jt]sx?$/.test(rel)) return undefined;
  const path = normalize(join(root, rel));
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  if (!explicit && !ws.fileExists(path)) return undefined;
  return path;
}

/** JavaScript text with line and block comments blanked (strings and template literals kept). */
function withoutComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      out += text[i] ?? '';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

/** Inserts `setupFiles: ["./test/setup-env.ts"],` after `test: {` (vitest) or the exported object's `{` (jest). */
function registerEdit(configPath: string, text: string, rel: string, jest: boolean): FileChange | undefined {
  const re = jest ? /(module\.exports\s*=|export\s+default)\s*(\w+\()?\{/ : /\btest\s*:\s*\{/;
  const m = re.exec(text);
  if (!m) return undefined;
  const index = new LineIndex(text);
  const at = m.index + m[0].length;
  const pos = index.positionAt(at);
  const lineIndent = /^[ \t]*/.exec(index.lineText(pos.line))?.[0] ?? '';
  const quote = preferredJsQuote(text);
  const eol = detectEol(text);
  const edit: TextEdit = { range: { start: pos, end: pos }, newText: `${eol}${lineIndent}  setupFiles: [${quote}./${rel}${quote}],` };
  return { kind: 'edit', path: configPath, edits: [edit] };
}

export function preferredJsQuote(text: string): '"' | "'" {
  const single = (text.match(/'[^'\n]*'/g) ?? []).length;
  const double = (text.match(/"[^"\n]*"/g) ?? []).length;
  return single > double ? "'" : '"';
}

/** Whether statements end with `;`: judged on lines that end a statement one way or the other. */
export function usesSemicolons(text: string): boolean {
  const ends = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//') && /[;)\]'"`\w]$/.test(l));
  const semi = ends.filter((l) => l.endsWith(';')).length;
  return ends.length === 0 || semi * 2 >= ends.length;
}

/** Whether the setup file already gives the env var a value. */
export function setsProcessEnv(text: string, name: string): boolean {
  return new RegExp(`process\\.env(\\.${name}|\\[\\s*["'\`]${name}["'\`]\\s*\\])\\s*(\\?\\?|\\|\\|)?=[^=]`).test(text);
}

/** The change adding `process.env.NAME ??= <dummy>;` after the setup file's imports, or undefined if present. */
export function setupDummyChange(ws: Workspace, path: string, name: string, dummy: string, quote: string, semi: boolean, eol: string): FileChange | undefined {
  const existing = ws.readFile(path);
  const q = existing !== undefined ? preferredJsQuote(existing) : quote;
  const s = existing !== undefined ? usesSemicolons(existing) : semi;
  const line = `process.env.${name} ??= ${q === "'" ? dummy.replace(/"/g, "'") : dummy}${s ? ';' : ''}`;
  if (existing === undefined) {
    return { kind: 'create', path, text: `// Test-only dummy keys: the explicit env-key lookups run in tests too (added by initaudit).${eol}${line}${eol}` };
  }
  if (setsProcessEnv(existing, name)) return undefined;
  const index = new LineIndex(existing);
  let at = 0;
  let inImport = false;
  for (let i = 0; i < index.lineCount; i++) {
    const t = index.lineText(i).trim();
    // A multi-line `import {` runs until its `from '…'` line.
    if (inImport) {
      if (/\bfrom\s*["'`]/.test(t)) {
        inImport = false;
        at = i + 1;
      }
      continue;
    }
    if (/^import\b/.test(t) && !/\bfrom\s*["'`]|^import\s*["'`(]/.test(t)) {
      inImport = true;
      continue;
    }
    if (/^(import\b|export\s+\{?\s*\}?\s*from|["']use |\/\/|\/\*|\*|process\.env\.\w+\s*(\?\?|\|\|)?=)/.test(t) || t === '') {
      if (t !== '') at = i + 1;
      continue;
    }
    break;
  }
  const fileEol = detectEol(existing);
  const atEnd = at >= index.lineCount;
  const needsBreak = atEnd && existing.length > 0 && !/[\r\n]$/.test(existing);
  const pos = atEnd ? index.positionAt(existing.length) : { line: at, character: 0 };
  return { kind: 'edit', path, edits: [{ range: { start: pos, end: pos }, newText: `${needsBreak ? fileEol : ''}${line}${fileEol}` }] };
}
