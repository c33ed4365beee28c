// What a Rails app declares and configures, as far as its files show: gems (Gemfile, Gemfile.lock),
// explicit key assignments in config/**, implicit key uses (model DSLs, routes), and which
// credentials files exist (by name only: they are never read or decrypted).
//
// Rebuilt from the workspace on demand and cheap to rebuild: per-file facts are memoised by text,
// so in the editor a keystroke in one initializer re-scans that file only, and a file created or
// deleted on disk is seen at the next rebuild. Several apps in one repository each get their own model.

import { join } from 'node:path';
import type { Range, Workspace } from '../types';
import { railsRoot } from '../fixes/rails-test-dummy';
import { holdsKnown } from '../knowledge/versions';
import { credentialsEvidence, credentialsState, type CredentialsState } from './credentials-state';
import { encryptsOwner, GEM_KEYS, type GemFacts, type GemKeyEntry } from './gem-keys';
import { gemfileGems, lockfileVersions, type GemLine } from './gemfile';

export interface Place {
  path: string;
  range: Range;
  /** What matched (`has_encrypted :email`, `Lockbox.master_key =`): code words, never a literal value. */
  text: string;
}

export interface RailsApp {
  root: string;
  gems: Map<string, GemLine>;
  versions: Map<string, string>;
  /** Existing credentials files, relative to the root (config/credentials.yml.enc, config/credentials/<env>.yml.enc). */
  credentialsFiles: string[];
  /** What is known about them: deleted by the change, committed before, kept out of the repository (credentials-state.ts). */
  credentials: CredentialsState;
  /** Gem entries in use (declared gem and, if the entry has DSL signals, at least one use). */
  uses: Map<string, Place[]>;
  /** Explicit assignments per gem entry that apply in production. */
  explicit: Map<string, Place[]>;
  /** Assignments that only config/environments/development.rb or test.rb make (test dummies). */
  explicitLocal: Map<string, Place[]>;
  hasChamber: boolean;
  /** config/secrets.yml (apps from before credentials) sets secret_key_base for production. */
  secretsYmlSetsSecretKeyBase: boolean;
}

/** config/environments/{development,test}.rb assign for those environments only: not explicit for production. */
const LOCAL_ENV_FILES = /^config\/environments\/(development|test)\.rb$/;
// Controllers: where verify_recaptcha is called.
const CODE_DIRS = ['config', 'app/models', 'app/uploaders', 'app/controllers'];
/** Bounds a pathological tree; an app with more files than this is scanned partially. */
const MAX_FILES = 5000;

interface FileFacts {
  text: string;
  uses: Map<string, Place[]>;
  explicit: Map<string, Place[]>;
  /** Assignments under a fork that only development or test take (`if Rails.env.development?`). */
  explicitLocal: Map<string, Place[]>;
}

const factsCache = new Map<string, FileFacts>();

export function isRailsApp(ws: Workspace, root: string): boolean {
  return ws.fileExists(join(root, 'Gemfile')) || ws.fileExists(join(root, 'config', 'application.rb'));
}

/** The model of the app a file belongs to, or undefined when it is not in a Rails app. */
export function railsAppOf(ws: Workspace, file: string): RailsApp | undefined {
  const root = railsRoot(ws, file);
  if (!isRailsApp(ws, root)) return undefined;
  const version = ws.version?.();
  if (version === undefined) return buildModel(ws, root);
  // A CLI audit asks once per file; the model only changes when the workspace does (a fix applied).
  let cached = models.get(ws);
  if (!cached || cached.version !== version) models.set(ws, (cached = { version, apps: new Map() }));
  let app = cached.apps.get(root);
  if (!app) cached.apps.set(root, (app = buildModel(ws, root)));
  return app;
}

/** What Gemfile.lock resolved for the app a file belongs to (empty outside an app or without a lockfile). */
export function lockedVersions(ws: Workspace, file: string): Map<string, string> {
  return lockfileVersions(ws.readFile(join(railsRoot(ws, file), 'Gemfile.lock')) ?? '');
}

const models = new WeakMap<Workspace, { version: number; apps: Map<string, RailsApp> }>();

function buildModel(ws: Workspace, root: string): RailsApp {
  const gemfile = ws.readFile(join(root, 'Gemfile')) ?? '';
  const gems = gemfileGems(gemfile);
  const versions = lockfileVersions(ws.readFile(join(root, 'Gemfile.lock')) ?? '');
  const credentials = credentialsState(ws, root, versions);
  const app: RailsApp = {
    root,
    gems,
    versions,
    credentialsFiles: credentials.present,
    credentials,
    uses: new Map(),
    explicit: new Map(),
    explicitLocal: new Map(),
    hasChamber: gems.has('chamber') || versions.has('chamber'),
    secretsYmlSetsSecretKeyBase: /^production:[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n)*?[ \t]+secret_key_base:/m.test(ws.readFile(join(root, 'config', 'secrets.yml')) ?? ''),
  };
  const relevant = GEM_KEYS.filter((e) => e.gems.some((g) => gems.has(g) || versions.has(g)));
  if (relevant.length === 0) return app;
  const gemFacts: GemFacts = { versions, declared: (g) => gems.has(g) };
  const owner = encryptsOwner(gemFacts) ?? 'unknown';
  for (const rel of rubyFiles(ws, root)) {
    const text = ws.readFile(join(root, rel));
    if (text === undefined) continue;
    const facts = factsOf(join(root, rel), rel, text, gemFacts, owner);
    for (const [id, places] of facts.uses) push(app.uses, id, places);
    for (const [id, places] of facts.explicit) push(LOCAL_ENV_FILES.test(rel) ? app.explicitLocal : app.explicit, id, places);
    for (const [id, places] of facts.explicitLocal) push(app.explicitLocal, id, places);
  }
  return app;
}

function push(map: Map<string, Place[]>, id: string, places: Place[]): void {
  const list = map.get(id);
  if (list) list.push(...places);
  else map.set(id, [...places]);
}

/** Memoised per path and text; versions only gate DSL signals (whose `encrypts` it is), so that is part of the key. */
function factsOf(path: string, rel: string, text: string, gems: GemFacts, owner: string): FileFacts {
  const key = `${path}\0${owner}`;
  const cached = factsCache.get(key);
  if (cached && cached.text === text) return cached;
  const facts: FileFacts = { text, uses: new Map(), explicit: new Map(), explicitLocal: new Map() };
  // What can match in this file, decided once per file rather than per line: most models hold no
  // needle of any signal, and are done without being split into lines.
  const inConfig = rel.startsWith('config/');
  const scans = GEM_KEYS.map((entry) => ({
    entry,
    signals: entry.dsl.filter((s) => s.where.test(rel) && text.includes(s.needle) && (!s.when || s.when(gems))),
    explicit: inConfig || (entry.explicitAlsoIn !== undefined && entry.explicitAlsoIn.where.test(rel) && text.includes(entry.explicitAlsoIn.needle)),
  })).filter((s) => s.signals.length > 0 || s.explicit);
  if (scans.length === 0) return facts;
  const lines = text.split(/\r\n|\r|\n/).map(stripComment);
  const expand = aliasExpander(lines);
  const anySignal = scans.some((s) => s.signals.length > 0);
  lines.forEach((code, i) => {
    if (!code.trim()) return;
    // A call continued on the next lines (`attr_encrypted :ssn,` / `  key: …`) is judged whole.
    let whole = code;
    if (anySignal) for (let j = i + 1; j < lines.length && j <= i + 5 && /[,(\\]\s*$/.test(whole); j++) whole += ` ${lines[j]!.trim()}`;
    for (const { entry, signals, explicit } of scans) {
      for (const signal of signals) {
        const m = signal.pattern.exec(whole);
        if (m) {
          const start = m.index + (m[0].length - m[0].trimStart().length);
          // Shown in messages: the DSL word and its first symbol (`has_encrypted :email`), never a literal.
          const matched = m[0].trim().replace(/\s*:$/, '');
          const symbol = /^\s*\(?\s*(:\w+)/.exec(whole.slice(start + matched.length))?.[1];
          push(facts.uses, entry.id, [{ ...place(path, i, start, matched.length), text: symbol ? `${matched} ${symbol}` : matched }]);
        }
      }
      if (explicit) {
        const m = entry.explicit.exec(code) ?? blockAssignment(entry, lines, i);
        const into = m || (expand && entry.explicit.test(expand(code))) ? (underLocalFork(lines, i) ? facts.explicitLocal : facts.explicit) : undefined;
        if (m && into) push(into, entry.id, [{ ...place(path, i, m.index, m[0].length), text: m[0].trim() }]);
        else if (into) push(into, entry.id, [{ ...place(path, i, 0, code.length), text: code.trim() }]);
      }
    }
  });
  if (factsCache.size > 2 * MAX_FILES) factsCache.clear();
  factsCache.set(key, facts);
  return facts;
}

/** A condition only development or test (or both) satisfy: `Rails.env.development?`, `Rails.env.test? || Rails.env.development?`, `Rails.env.local?`. */
const LOCAL_ENVS = /^Rails\.env\.(development|test|local)\?(\s*(\|\||\bor\b)\s*Rails\.env\.(development|test|local)\?)*$/;

function localCondition(keyword: string, condition: string): boolean {
  const c = condition.replace(/\s+then$/, '').replace(/^\((.*)\)$/, '$1').trim();
  return keyword === 'if' ? LOCAL_ENVS.test(c) : keyword === 'unless' && /^Rails\.env\.production\?$/.test(c);
}

/**
 * Whether line `i` runs only in development or test: under a trailing `if Rails.env.development?`, or
 * in the nearest enclosing `if`/`unless` (found by indentation) with such a condition. Read as text;
 * an `else`, `elsif` or `when` branch, or any other condition, is not judged local (it stays explicit).
 */
function underLocalFork(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  const modifier = /\S\s+(if|unless)\s+(Rails\.env\.[^#]+?)\s*$/.exec(line);
  if (modifier) return localCondition(modifier[1]!, modifier[2]!);
  let indent = /^\s*/.exec(line)![0].length;
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    const l = lines[j]!;
    if (!l.trim()) continue;
    const ind = /^\s*/.exec(l)![0].length;
    if (ind >= indent) continue;
    indent = ind;
    const opener = /^\s*(if|unless|elsif)\s+(.+?)\s*$/.exec(l);
    if (opener) return localCondition(opener[1]!, opener[2]!);
    if (/^\s*(else|when|case|begin)\b/.test(l)) return false;
  }
  return false;
}

/**
 * A local that names a configuration object (`cfg = Rails.application.config.active_record.encryption`)
 * makes `cfg.primary_key = …` an assignment of that object's setting: returns a rewrite of a line
 * through the file's aliases, or undefined when the file has none.
 */
function aliasExpander(lines: readonly string[]): ((code: string) => string) | undefined {
  const aliases = new Map<string, string>();
  for (const code of lines) {
    const m = /^\s*([a-z_]\w*)\s*=\s*((?:::)?(?:config|Rails\.application|Rails\.configuration|[A-Z]\w*(?:::[A-Z]\w*)*)(?:\.[a-z_]\w*)+)\s*$/.exec(code);
    if (m) aliases.set(m[1]!, m[2]!);
  }
  if (aliases.size === 0) return undefined;
  const re = new RegExp(`(?<![\\w.:@$])(${[...aliases.keys()].join('|')})\\.`, 'g');
  return (code) => code.replace(re, (_, name: string) => `${aliases.get(name)!}.`);
}

function place(path: string, line: number, start: number, length: number): Omit<Place, 'text'> {
  return { path, range: { start: { line, character: start }, end: { line, character: start + length } } };
}

/** A Ruby line without its comment; `#` inside a string literal is kept. */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && line[i + 1] !== '{') return line.slice(0, i);
  }
  return line;
}

/** Ruby files under config/, app/models, app/uploaders and app/controllers, relative to the root, with `/` separators. */
function rubyFiles(ws: Workspace, root: string): string[] {
  const out: string[] = [];
  const pending = [...CODE_DIRS];
  while (pending.length && out.length < MAX_FILES) {
    const rel = pending.pop()!;
    const names = ws.listDir?.(join(root, rel));
    if (!names) continue;
    for (const name of names) {
      if (name.endsWith('/')) pending.push(`${rel}/${name.slice(0, -1)}`);
      else if (name.endsWith('.rb')) out.push(`${rel}/${name}`);
    }
  }
  return out.sort();
}


/** Whether production has a credentials file to read in the checkout: its own, or the shared one. */
export function productionCredentials(app: RailsApp): boolean {
  return credentialsEvidence(app.credentials, 'production') === 'present';
}

export function entriesInUse(app: RailsApp): GemKeyEntry[] {
  return GEM_KEYS.filter(
    (e) => e.gems.some((g) => app.gems.has(g) || app.versions.has(g)) && (e.dsl.length === 0 || app.uses.has(e.id)) && (!e.when || holdsKnown(e.when, app.versions)),
  );
}

/**
 * Settings assigned on a block's parameter count for the gem whose block it is: `config.secret_key =`
 * inside `Devise.setup do |config|` is Devise's, inside `Recaptcha.configure do |config|` it is not.
 */
const BLOCK_SETTINGS: Record<string, { receiver: RegExp; setting: RegExp }> = {
  devise: { receiver: /\bDevise\.setup\b/, setting: /^\s*(\w+)\.secret_key\s*=(?!=)/ },
  recaptcha: { receiver: /\bRecaptcha\.configure\b/, setting: /^\s*(\w+)\.(secret_key|enterprise_api_key)\s*=(?!=)/ },
};

function blockAssignment(entry: GemKeyEntry, lines: readonly string[], at: number): RegExpExecArray | null {
  const spec = BLOCK_SETTINGS[entry.id];
  const m = spec?.setting.exec(lines[at] ?? '');
  if (!spec || !m) return null;
  const param = m[1]!;
  // The nearest block above that binds this name decides whose setting it is.
  for (let i = at - 1; i >= 0; i--) {
    const open = new RegExp(`^(.*)\\bdo\\s*\\|\\s*${param}\\s*\\|`).exec(lines[i] ?? '');
    if (open) return spec.receiver.test(open[1]!) ? m : null;
  }
  return null;
}
