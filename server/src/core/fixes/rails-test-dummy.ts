// Where a Rails app's test-only dummy key goes, and the edit that puts it there once.
// config/environments/test.rb runs at `load_environment_config`, before config/initializers, so a
// dummy set there is seen by every initializer. config/application.rb runs earlier still, so dummies
// for settings assigned there go into the test helper, before it loads config/environment.

import { dirname, join, sep } from 'node:path';
import { detectEol, LineIndex } from '../text';
import type { FileChange, Workspace } from '../types';
import { escapeRegExp } from '../text';

/** The app root: the nearest folder with config/application.rb or a Gemfile, within the workspace. */
export function railsRoot(ws: Workspace, file: string): string {
  let dir = dirname(file);
  const stop = ws.root;
  for (;;) {
    if (ws.fileExists(join(dir, 'config', 'application.rb')) || ws.fileExists(join(dir, 'Gemfile'))) return dir;
    const parent = dirname(dir);
    if (parent === dir || !dir.startsWith(stop) || dir === stop) break;
    dir = parent;
  }
  // No marker: the folder above config/ if the file is inside one, else the workspace root.
  const idx = file.lastIndexOf(`${sep}config${sep}`);
  return idx > 0 ? file.slice(0, idx) : stop;
}

const BOOT_FILES = [join('config', 'application.rb'), join('config', 'boot.rb'), join('config', 'environment.rb')];
const TEST_HELPERS = [join('spec', 'rails_helper.rb'), join('spec', 'spec_helper.rb'), join('test', 'test_helper.rb')];

export interface DummyTarget {
  path: string;
  /** Insert before the line that loads the app (test helpers), instead of after the preamble. */
  beforeEnvironment: boolean;
}

/**
 * The app a fix may write into: the nearest folder with config/application.rb or a Gemfile, else
 * the folder above config/ when the file is in one, and only inside the workspace root. A loose
 * file with neither (a single .rb opened on its own) has no app: nothing is created next to it.
 */
export function railsAppRoot(ws: Workspace, file: string): string | undefined {
  const root = railsRoot(ws, file);
  const hasMarker = ws.fileExists(join(root, 'config', 'application.rb')) || ws.fileExists(join(root, 'Gemfile'));
  const inConfig = file.startsWith(`${root}${sep}config${sep}`);
  const inside = root === ws.root || root.startsWith(ws.root.endsWith(sep) ? ws.root : `${ws.root}${sep}`);
  return (hasMarker || inConfig) && inside ? root : undefined;
}

/** Where the dummy goes, or undefined when the file belongs to no app (the fix then stays in the file). */
export function dummyTarget(ws: Workspace, sourcePath: string): DummyTarget | undefined {
  const root = railsAppRoot(ws, sourcePath);
  if (root === undefined) return undefined;
  const rel = sourcePath.slice(root.length + 1);
  if (BOOT_FILES.includes(rel)) {
    const helper = TEST_HELPERS.map((h) => join(root, h)).find((p) => ws.fileExists(p)) ?? join(root, 'test', 'test_helper.rb');
    return { path: helper, beforeEnvironment: true };
  }
  return { path: join(root, 'config', 'environments', 'test.rb'), beforeEnvironment: false };
}

/** Whether a file already gives the env var a value. */
export function setsEnvVar(text: string, name: string): boolean {
  const n = escapeRegExp(name);
  return new RegExp(`ENV\\s*\\[\\s*["']${n}["']\\s*\\]\\s*(\\|\\|)?=[^=]|ENV\\.store\\(\\s*["']${n}["']`).test(text);
}

/**
 * The change that adds `ENV["NAME"] ||= <dummy>` to the target, or undefined when it is already there.
 * `quote` and `eol` follow the file being fixed when the target is created.
 */
export function testDummyChange(ws: Workspace, target: DummyTarget, name: string, dummy: string, quote: '"' | "'", eol: string): FileChange | undefined {
  const existing = ws.readFile(target.path);
  const q = existing !== undefined ? preferredQuote(existing, quote) : quote;
  const line = `ENV[${q}${name}${q}] ||= ${q === "'" ? dummy.replace(/"/g, "'") : dummy}`;
  if (existing === undefined) {
    return {
      kind: 'create',
      path: target.path,
      text: `# Test-only dummy keys: the explicit env-key lookups run in CI too (added by initaudit).${eol}${line}${eol}`,
    };
  }
  if (setsEnvVar(existing, name)) return undefined;
  const fileEol = detectEol(existing);
  const index = new LineIndex(existing);
  const at = insertionLine(index, target.beforeEnvironment);
  const atEnd = at >= index.lineCount;
  const needsBreak = atEnd && existing.length > 0 && !/\r?\n$|\r$/.test(existing);
  const pos = atEnd ? index.positionAt(existing.length) : { line: at, character: 0 };
  return { kind: 'edit', path: target.path, edits: [{ range: { start: pos, end: pos }, newText: `${needsBreak ? fileEol : ''}${line}${fileEol}` }] };
}

/** After leading comments, requires and earlier dummies; or before the line that loads config/environment. */
function insertionLine(index: LineIndex, beforeEnvironment: boolean): number {
  if (beforeEnvironment) {
    for (let i = 0; i < index.lineCount; i++) {
      if (/config\/environment/.test(index.lineText(i)) && /^\s*require/.test(index.lineText(i))) return i;
    }
  }
  let at = 0;
  for (let i = 0; i < index.lineCount; i++) {
    const t = index.lineText(i).trim();
    if (t === '' || t.startsWith('#') || /^require(_relative)?\b/.test(t) || /^ENV\s*\[.*\]\s*\|\|=/.test(t)) {
      if (t !== '') at = i + 1;
      continue;
    }
    break;
  }
  return at;
}

/** The quote style most string literals in a file use; `fallback` when it has no preference. */
export function preferredQuote(text: string, fallback: '"' | "'" = '"'): '"' | "'" {
  // Asked once per fix, and a file may have thousands: count each text once.
  if (quoteCounts?.text !== text) {
    quoteCounts = { text, single: (text.match(/'[^'\n]*'/g) ?? []).length, double: (text.match(/"[^"\n]*"/g) ?? []).length };
  }
  const { single, double } = quoteCounts;
  return single === double ? fallback : single > double ? "'" : '"';
}

let quoteCounts: { text: string; single: number; double: number } | undefined;
