// Where a JS/TS project's test-only dummy env var goes: the setup file its vitest or jest config
// loads first. When there is none, the fix creates test/setup-env.(ts|js) and registers it in a
// vitest `test: {` block when it can; otherwise the fix's note tells the user to register it.
// Config files are read as text (never executed): only literal setupFiles entries are understood.

import { dirname, join, normalize, relative } from 'node:path';
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
    const listed = /setupFiles\s*:\s*\[?\s*(["'`])([^"'`]+)\1/.exec(text)?.[2];
    if (listed) return { path: normalize(join(root, listed.replace(/^<rootDir>\//, ''))) };
    const register = registerEdit(configPath, text, relative(root, fallback).split('\\').join('/'), name.startsWith('jest'));
    if (register) return { path: fallback, register };
    return { path: fallback, note: `add ${relative(root, fallback)} to setupFiles in ${name}` };
  }
  const pkg = ws.readFile(join(root, 'package.json'));
  const listed = pkg ? jestSetupFromPackage(pkg) : undefined;
  if (listed) return { path: normalize(join(root, listed.replace(/^<rootDir>\//, ''))) };
  return { path: fallback, note: `no vitest or jest config found: load ${relative(root, fallback)} before your tests (e.g. setupFiles)` };
}

function jestSetupFromPackage(pkg: string): string | undefined {
  try {
    const json = JSON.parse(pkg) as { jest?: { setupFiles?: unknown } };
    const files = json.jest?.setupFiles;
    return Array.isArray(files) && typeof files[0] === 'string' ? files[0] : undefined;
  } catch {
    return undefined;
  }
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
  const needsBreak = atEnd && existing.length > 0 && !/\n$/.test(existing);
  const pos = atEnd ? index.positionAt(existing.length) : { line: at, character: 0 };
  return { kind: 'edit', path, edits: [{ range: { start: pos, end: pos }, newText: `${needsBreak ? fileEol : ''}${line}${fileEol}` }] };
}
