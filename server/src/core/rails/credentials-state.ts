// What is known about a Rails app's credentials files, graded by evidence. A file missing from a
// checkout is not a file missing in production: many apps keep credentials out of the repository
// on purpose (ignored by .gitignore, a sample shipped instead), and apps older than Rails 5.2 have
// none at all. What makes a missing file dangerous is a change that deletes it, or a history that
// had it. Files are seen by name only: never read, never decrypted.

import { join, relative } from 'node:path';
import ignore from 'ignore';
import { compareVersions } from '../knowledge/versions';
import type { Workspace } from '../types';

export interface CredentialsState {
  /** Existing credentials files, relative to the app root (config/credentials.yml.enc, config/credentials/<env>.yml.enc). */
  present: string[];
  /** Credentials files the change under audit deletes, relative to the root. */
  deleted: string[];
  /** Credentials files committed at some point, relative to the root; undefined when the caller knows no history. */
  committed?: string[];
  /** Credentials are kept out of the repository on purpose: ignored by a .gitignore, or a sample or example ships instead. */
  keptOutOfRepository: boolean;
  /** The app predates Rails credentials: Rails older than 5.2 in Gemfile.lock, or a secrets.yml and no trace of credentials. */
  predatesCredentials: boolean;
  /**
   * Where production reads its credentials when config/environments/production.rb sets
   * `config.credentials.content_path` to a literal, relative to the root.
   */
  productionContentPath?: string;
  /** Whether that file exists. */
  productionContentPresent?: boolean;
}

/** How sure it is that an environment's code reads from a credentials file that is not there. */
export type CredentialsEvidence =
  /** Its credentials file exists. */
  | 'present'
  /** The change under audit deletes it. */
  | 'deleted-by-change'
  /** It was committed once and is gone now. */
  | 'committed-before'
  /** It never was in the repository (or nothing is known), and nothing says it is kept elsewhere. */
  | 'absent'
  /** It is kept out of the repository on purpose, or the app predates credentials: nothing can be said. */
  | 'unknown';

const CREDENTIALS = /^config\/credentials(\.yml\.enc|\/[^/]+\.yml\.enc)$/;
const SAMPLE = /^(credentials|master)[^/]*\.(sample|example|template|dist)$|^credentials\.yml(\.enc)?\.(sample|example)$/;

export function credentialsState(ws: Workspace, root: string, versions: ReadonlyMap<string, string>): CredentialsState {
  const present: string[] = [];
  if (ws.fileExists(join(root, 'config', 'credentials.yml.enc'))) present.push('config/credentials.yml.enc');
  const inCredentialsDir = ws.listDir?.(join(root, 'config', 'credentials')) ?? [];
  for (const name of inCredentialsDir) if (name.endsWith('.yml.enc')) present.push(`config/credentials/${name}`);
  const history = ws.settings?.history;
  const rel = (p: string): string => relative(root, p).split('\\').join('/');
  const deleted = (history?.deleted ?? []).map(rel).filter((p) => CREDENTIALS.test(p) && !present.includes(p));
  const committed = history?.committed?.map(rel).filter((p) => CREDENTIALS.test(p));
  const configNames = ws.listDir?.(join(root, 'config')) ?? [];
  const sample = [...configNames, ...inCredentialsDir].some((n) => SAMPLE.test(n));
  const rails = versions.get('rails');
  const traces = present.length > 0 || deleted.length > 0 || (committed?.length ?? 0) > 0;
  const predates = rails !== undefined ? compareVersions(rails, '5.2') < 0 : !traces && configNames.includes('secrets.yml');
  const contentPath = productionContentPath(ws, root);
  return {
    present,
    deleted,
    ...(committed ? { committed } : {}),
    keptOutOfRepository: sample || ignoredByGit(ws, root),
    predatesCredentials: predates,
    ...(contentPath !== undefined ? { productionContentPath: contentPath, productionContentPresent: ws.fileExists(join(root, contentPath)) } : {}),
  };
}

/** `config.credentials.content_path = "…"` (or `Rails.root.join("…")`) in production.rb; comments are not read. */
const CONTENT_PATH = /^[ \t]*config\.credentials\.content_path\s*=\s*(?:Rails\.root\.join\(\s*)?["']([^"'#{}]+)["']/m;

function productionContentPath(ws: Workspace, root: string): string | undefined {
  // Only production.rb: in application.rb the line may sit under a guard for another environment.
  const m = CONTENT_PATH.exec(ws.readFile(join(root, 'config', 'environments', 'production.rb')) ?? '');
  return m?.[1] ? m[1].replace(/^\.\//, '') : undefined;
}

/** Rails reads config/credentials/<env>.yml.enc, else config/credentials.yml.enc. */
export function credentialsFilesFor(env: string): string[] {
  return [`config/credentials/${env}.yml.enc`, 'config/credentials.yml.enc'];
}

export function credentialsEvidence(state: CredentialsState, env: string): CredentialsEvidence {
  // Production pointed at another file: that file decides (a path to nothing turns credentials off).
  if (env === 'production' && state.productionContentPath !== undefined) return state.productionContentPresent ? 'present' : 'absent';
  const files = credentialsFilesFor(env);
  if (files.some((f) => state.present.includes(f))) return 'present';
  if (files.some((f) => state.deleted.includes(f))) return 'deleted-by-change';
  if (state.predatesCredentials || state.keptOutOfRepository) return 'unknown';
  if (files.some((f) => state.committed?.includes(f))) return 'committed-before';
  return 'absent';
}

/** Whether a .gitignore in the app or above it (within the workspace) ignores the production credentials file. */
function ignoredByGit(ws: Workspace, root: string): boolean {
  for (let dir = root; ; ) {
    const text = ws.readFile(join(dir, '.gitignore'));
    if (text !== undefined) {
      const rules = ignore();
      try {
        rules.add(text);
      } catch {
        // A pattern the matcher cannot take decides nothing.
      }
      const from = (p: string): string => relative(dir, join(root, p)).split('\\').join('/');
      // Ignoring master.key is the Rails default; only ignoring the encrypted files themselves counts.
      if (['config/credentials.yml.enc', 'config/credentials/production.yml.enc'].some((p) => safeIgnores(rules, from(p)))) return true;
    }
    if (dir === ws.root || !dir.startsWith(ws.root)) return false;
    const parent = join(dir, '..');
    if (parent === dir) return false;
    dir = parent;
  }
}

function safeIgnores(rules: ReturnType<typeof ignore>, path: string): boolean {
  try {
    return !path.startsWith('..') && rules.ignores(path);
  } catch {
    return false;
  }
}
