// "Who else reads this key?": every place in a Rails app that reads the same secret, explicitly
// (ENV, Chamber, credentials, in Ruby or in ERB inside config/*.yml) or by a gem's convention.
// Keys are compared by their env-var form: Chamber's EnvironmentFilter maps `lockbox.master_key`
// to LOCKBOX_MASTER_KEY, and gems read that variable before credentials, so the three are one key.

import { join } from 'node:path';
import { envVarName, isPrintableKey } from '../secrets/vocabulary';
import { LineIndex } from '../text';
import type { Position, Range, Workspace } from '../types';
import { worded } from '../knowledge/versions';
import { entriesInUse, railsAppOf } from './app-model';

export interface KeyRead {
  /** The key in env-var form: LOCKBOX_MASTER_KEY. */
  key: string;
  source: 'env' | 'chamber' | 'credentials';
  /** Rebuilt from the key path (`Chamber.dig(:lockbox, :master_key)`), never the source text. */
  display: string;
  /** The read as written; safe to print, since the pattern admits only names and symbols. */
  written: string;
  /**
   * For credentials, what a read does when the file is missing: `dig(...)` and one accessor return
   * nil; `credentials.aws[:key]` calls the next accessor on nil (NoMethodError); `credentials.aws!` raises KeyError.
   */
  whenMissing?: 'nil' | 'no-method-error' | 'key-error';
  startIndex: number;
  endIndex: number;
}

export interface KeyReaders {
  key: string;
  /** The read under the cursor, and its range. */
  at: KeyRead;
  range: Range;
  /** Other explicit reads of the same key, with their files. */
  places: { path: string; range: Range; display: string }[];
  /** Gems that read it by convention: "the lockbox gem: ENV[...], then credentials ...". */
  conventions: string[];
}

const SYMBOLS = /:(\w+)/g;
const READ =
  /ENV(?:\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]|\.fetch\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["'])|Chamber(?:\.dig!?\(\s*(:\w+(?:\s*,\s*:\w+)*)\s*\)|((?:\[\s*:\w+\s*\])+))|Rails\.application\.credentials((?:\.dig\(\s*:\w+(?:\s*,\s*:\w+)*\s*\)|\[\s*:\w+\s*\]|\.(?!(?:dig|config|fetch|to_h|key\?|each|merge|content_path|key_path)\b)\w+!?(?![\w(?]))+)/g;

/** Every ENV, Chamber and credentials read in a text, Ruby or ERB. */
export function keyReadsIn(text: string): KeyRead[] {
  const out: KeyRead[] = [];
  for (const m of text.matchAll(READ)) {
    const start = m.index ?? 0;
    const span = { startIndex: start, endIndex: start + m[0].length, written: m[0] };
    const env = m[1] ?? m[2];
    if (env !== undefined) {
      if (isPrintableKey(env)) out.push({ key: env, source: 'env', display: `ENV["${env}"]`, ...span });
      continue;
    }
    const chamber = m[3] ?? m[4];
    const creds = m[5];
    const path =
      chamber !== undefined
        ? [...chamber.matchAll(SYMBOLS)].map((s) => s[1] ?? '')
        : [...(creds ?? '').matchAll(/:(\w+)|\.(\w+)!?/g)].map((s) => s[1] ?? s[2] ?? '').filter((k) => k !== 'dig');
    if (path.length === 0 || !path.every(isPrintableKey)) continue;
    const keys = path.map((k) => `:${k}`).join(', ');
    out.push(
      chamber !== undefined
        ? { key: envVarName(path), source: 'chamber', display: `Chamber.dig(${keys})`, ...span }
        : { key: envVarName(path), source: 'credentials', display: `Rails.application.credentials.dig(${keys})`, whenMissing: credentialsShape(creds ?? ''), ...span },
    );
  }
  return out;
}

/** What the chain after `credentials` does when the file is missing (every accessor of the empty file returns nil). */
function credentialsShape(chain: string): KeyRead['whenMissing'] {
  const links = chain.match(/\.dig\([^)]*\)|\[[^\]]*\]|\.\w+!?/g) ?? [];
  const first = links[0] ?? '';
  if (first.startsWith('.dig(')) return 'nil';
  if (first.endsWith('!')) return 'key-error';
  return links.length > 1 ? 'no-method-error' : 'nil';
}

const SCANNED_DIRS = ['config', 'app', 'lib'];
const MAX_FILES = 5000;

/** The key read at a position of a Rails file, and every other reader of it in the app. */
export function keyReadersAt(ws: Workspace, path: string, text: string, position: Position): KeyReaders | undefined {
  const lines = new LineIndex(text);
  const offset = lines.offsetAt(position);
  const at = keyReadsIn(text).find((r) => r.startIndex <= offset && offset <= r.endIndex);
  if (!at) return undefined;
  const app = railsAppOf(ws, path);
  const places: KeyReaders['places'] = [];
  if (app) {
    // Every form of the key contains its env-var name or, lower-cased, its first word: skip other files cheaply.
    const hint = (at.key.split('_')[0] ?? at.key).toLowerCase();
    for (const file of appFiles(ws, app.root)) {
      const fileText = file === path ? text : ws.readFile(file);
      if (fileText === undefined || !(fileText.includes(at.key) || fileText.includes(hint))) continue;
      const index = file === path ? lines : new LineIndex(fileText);
      for (const r of keyReadsIn(fileText)) {
        if (r.key !== at.key || (file === path && r.startIndex === at.startIndex)) continue;
        places.push({ path: file, range: { start: index.positionAt(r.startIndex), end: index.positionAt(r.endIndex) }, display: r.display });
      }
    }
  }
  const conventions: string[] = [];
  if (app) {
    for (const entry of entriesInUse(app)) {
      const reads = entry.reads.env.includes(at.key) || entry.reads.credentials.some((p) => envVarName(p) === at.key);
      if (reads) conventions.push(`${entry.setting} (${entry.gems.find((g) => app.gems.has(g) || app.versions.has(g)) ?? entry.gems[0]} gem): ${worded(entry.chain, app.versions)}`);
    }
  }
  return { key: at.key, at, range: { start: lines.positionAt(at.startIndex), end: lines.positionAt(at.endIndex) }, places, conventions };
}

/** Ruby and YAML files under config/, app/ and lib/. */
function appFiles(ws: Workspace, root: string): string[] {
  const out: string[] = [];
  const pending = SCANNED_DIRS.map((d) => join(root, d));
  while (pending.length && out.length < MAX_FILES) {
    const dir = pending.pop()!;
    for (const name of ws.listDir?.(dir) ?? []) {
      if (name.endsWith('/')) pending.push(join(dir, name.slice(0, -1)));
      else if (/\.(rb|rake|ya?ml)$/.test(name)) out.push(join(dir, name));
    }
  }
  return out.sort();
}
