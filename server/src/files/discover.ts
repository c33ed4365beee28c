// Which files an audit reads: named files, and directories walked recursively
// (honouring .gitignore, skipping dependency and VCS folders, never following symlinked
// directories so a link cycle cannot loop), and only files the parser recognises.

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Ignore } from 'ignore';
import { languageOf } from '../core/parser';
import { IgnoreStack } from './gitignore';
import { describeFsError } from './fs-errors';
import type { SkippedFile } from './skipped';

/** Folders that are never source of the app being audited, whatever .gitignore says. */
const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', 'vendor', '.git']);

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
}

export function discoverFiles(targets: readonly Target[]): Discovery {
  const files = new Set<string>();
  const skipped: SkippedFile[] = [];
  const gitignores = new Map<string, Ignore | null>();
  for (const target of targets) {
    if (target.kind === 'file') {
      // A file named on the command line is audited even if .gitignore'd, as with ripgrep.
      if (languageOf(target.path)) files.add(target.path);
      else skipped.push({ path: target.path, reason: 'unsupported', detail: 'not a file initaudit reads (Ruby, TypeScript, JavaScript, YAML, Prisma or Terraform)' });
    } else {
      walk(target.path, IgnoreStack.forStartDir(target.path, gitignores), gitignores, files, skipped);
    }
  }
  return { files: [...files].sort(), skipped };
}

function walk(start: string, base: IgnoreStack, gitignores: Map<string, Ignore | null>, files: Set<string>, skipped: SkippedFile[]): void {
  // Explicit stack instead of recursion: deep trees cannot overflow the call stack.
  const pending: { dir: string; rules: IgnoreStack }[] = [{ dir: start, rules: base }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { dir } = next;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: dir, ...describeFsError(e) });
      continue;
    }
    const rules = next.rules.enter(dir, gitignores);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRS.has(entry.name) && !rules.ignores(path, true)) pending.push({ dir: path, rules });
      } else if (entry.isFile()) {
        if (languageOf(entry.name) && !rules.ignores(path, false)) files.add(path);
      } else if (entry.isSymbolicLink()) {
        // Symlinked files are audited; symlinked directories are not followed.
        if (!languageOf(entry.name) || rules.ignores(path, false)) continue;
        try {
          if (statSync(path).isFile()) files.add(path);
        } catch (e) {
          const failure = describeFsError(e);
          skipped.push({ path, ...(failure.reason === 'vanished' ? { reason: 'unreadable', detail: 'unreadable: broken symbolic link' } : failure) });
        }
      }
    }
  }
}
