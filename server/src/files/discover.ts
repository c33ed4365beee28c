// Which files an audit reads: named files, and directories walked recursively
// (honouring .gitignore, skipping dependency and VCS folders and a Rails app's static public/, never following symlinked
// directories so a link cycle cannot loop), and only files the parser recognises. Every
// listing goes through the audit's FileAccess, and every file with a name the parser
// recognises that will not be analysed (a FIFO, a socket, a link out of the root) is reported.

import { join } from 'node:path';
import type { FileAccess } from '../core/file-access';
import { languageOf } from '../core/parser';
import { GitignoreFiles, IgnoreStack } from './gitignore';
import type { AuditWarning, SkippedFile } from './skipped';

/** Folders that are never source of the app being audited, whatever .gitignore says. */
export const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', 'vendor', '.git']);

/**
 * A Rails app's `public/` (next to its `Gemfile` and `config/`) is served as static files: compiled
 * asset bundles and vendored scripts the server never runs, often megabytes of JavaScript.
 */
function isRailsPublic(name: string, siblings: readonly { name: string; kind: string }[]): boolean {
  return name === 'public' && siblings.some((e) => e.name === 'Gemfile') && siblings.some((e) => e.name === 'config' && e.kind === 'dir');
}

export interface Target {
  path: string;
  kind: 'file' | 'dir';
}

/** What an audit covers: the folder reports are relative to, and the files and folders in it. */
export interface Targets {
  /** The single directory argument, or the cwd when several paths or a file are given. */
  root: string;
  targets: Target[];
}

export interface Discovery {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  skipped: SkippedFile[];
  /** .gitignore patterns skipped, and the like. */
  warnings: AuditWarning[];
}

export function discoverFiles(targets: readonly Target[], access: FileAccess): Discovery {
  const found = { skipped: [] as SkippedFile[], warnings: [] as AuditWarning[] };
  const files = [...discoveredFiles(targets, access, found)];
  return { files: files.sort(), ...found };
}

/**
 * The same files one by one, in the order the walk finds them (unsorted, without duplicates), so
 * an audit reads and analyses while the walk goes on; what is skipped and said lands in `found`.
 */
export function* discoveredFiles(targets: readonly Target[], access: FileAccess, found: Omit<Discovery, 'files'>): Generator<string> {
  const files = new Set<string>();
  const { skipped, warnings } = found;
  const gitignores = new GitignoreFiles(access, (w) => warnings.push(w));
  for (const target of targets) {
    if (target.kind === 'file') {
      // A file named on the command line is audited even if .gitignore'd, as with ripgrep.
      if (languageOf(target.path)) {
        if (!files.has(target.path)) yield target.path;
        files.add(target.path);
      } else skipped.push({ path: target.path, reason: 'unsupported', detail: 'not a file initaudit reads (Ruby, TypeScript, JavaScript, YAML, Prisma or Terraform)' });
    } else {
      for (const path of walk(target.path, IgnoreStack.forStartDir(target.path, gitignores), gitignores, access, skipped)) {
        if (files.has(path)) continue;
        files.add(path);
        yield path;
      }
    }
  }
}

function* walk(start: string, base: IgnoreStack, gitignores: GitignoreFiles, access: FileAccess, skipped: SkippedFile[]): Generator<string> {
  // Explicit stack instead of recursion: deep trees cannot overflow the call stack.
  const pending: { dir: string; rules: IgnoreStack }[] = [{ dir: start, rules: base }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { dir } = next;
    const listed = access.list(dir);
    if (!listed.ok) {
      skipped.push({ path: dir, reason: listed.refusal.reason === 'vanished' ? 'vanished' : listed.refusal.reason === 'outside-root' ? 'outside-root' : 'unreadable', detail: listed.refusal.detail });
      continue;
    }
    // A folder whose listing has no .gitignore has none to read.
    const rules = listed.entries.some((e) => e.name === '.gitignore') ? next.rules.enter(dir, gitignores) : next.rules;
    for (const entry of listed.entries) {
      const path = join(dir, entry.name);
      if (entry.kind === 'dir') {
        if (!ALWAYS_SKIPPED_DIRS.has(entry.name) && !isRailsPublic(entry.name, listed.entries) && !rules.ignores(path, true)) pending.push({ dir: path, rules });
        continue;
      }
      if (!languageOf(entry.name) || rules.ignores(path, false)) continue;
      if (entry.kind === 'file') {
        yield path;
        continue;
      }
      // A symlinked file is audited when it resolves to a regular file inside the root; symlinked
      // directories are not followed. Anything else with a source name is said, not dropped.
      const kind = entry.kind === 'link' ? access.kind(path) : 'other';
      if (kind === 'file') yield path;
      else if (kind === 'dir') continue;
      else skipped.push(whyNot(access, path));
    }
  }
}

/** Why a path with a source name is not audited: the access's refusal, or what it is. */
function whyNot(access: FileAccess, path: string): SkippedFile {
  const read = access.read(path, 0);
  if (read.ok) return { path, reason: 'unreadable', detail: 'unreadable' };
  const { reason, detail } = read.refusal;
  if (reason === 'vanished') return { path, reason: 'unreadable', detail: 'unreadable: broken symbolic link' };
  return { path, reason: reason === 'too-large' ? 'unreadable' : reason, detail };
}
