// .gitignore matching for the directory walk. Each .gitignore is its own `ignore` instance
// tested with paths relative to its folder; the deepest file with an opinion about a path wins,
// as in git. Directories the walk has skipped are never entered, so nothing below them is tested.
// .gitignore files are read through a FileAccess (regular files only, capped); a pattern that
// cannot be compiled is skipped with a warning instead of failing the audit.

import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { exists, FileAccess } from '../core/file-access';
import type { AuditWarning } from './skipped';

/** Longer patterns are skipped: git's own paths stop at PATH_MAX, and a huge one compiles to a regex V8 rejects. */
export const MAX_PATTERN_LENGTH = 4096;
const MAX_GITIGNORE_BYTES = 1024 * 1024;

/** Loads each folder's .gitignore once per audit, through the audit's FileAccess. */
export class GitignoreFiles {
  private readonly loaded = new Map<string, Ignore | null>();

  constructor(
    private readonly access: FileAccess,
    private readonly warn: (warning: AuditWarning) => void,
  ) {}

  /** The rules of `dir/.gitignore`; null when there is none (or it cannot be read). */
  rulesOf(dir: string, access: FileAccess = this.access): Ignore | null {
    let rules = this.loaded.get(dir);
    if (rules === undefined) {
      const path = join(dir, '.gitignore');
      const read = access.kind(path) === 'file' ? access.read(path, MAX_GITIGNORE_BYTES) : undefined;
      rules = read?.ok ? compile(read.bytes.toString('utf8'), path, this.warn) : null;
      this.loaded.set(dir, rules);
    }
    return rules;
  }
}

interface Frame {
  dir: string;
  rules: Ignore;
}

/** The .gitignore files that apply inside one directory, shallowest first. Immutable: `enter` returns a new one. */
export class IgnoreStack {
  private constructor(private readonly frames: readonly Frame[]) {}

  static empty(): IgnoreStack {
    return new IgnoreStack([]);
  }

  /**
   * The rules in force at `dir` before its own .gitignore: those of its ancestors up to the
   * enclosing git work tree (the nearest folder holding `.git`), so auditing a subfolder still
   * honours the repository's root .gitignore. Outside a work tree, nothing above `dir` applies.
   * A folder the user named explicitly is audited even when those rules ignore it.
   */
  static forStartDir(dir: string, files: GitignoreFiles): IgnoreStack {
    const ancestors: string[] = [];
    let top: string | undefined;
    for (let d = dirname(dir), prev = dir; d !== prev; prev = d, d = dirname(d)) {
      ancestors.push(d);
      if (exists(join(d, '.git'))) {
        top = d;
        break;
      }
    }
    // Also stop at `dir` itself when it is the work tree root: its .gitignore is read by the walk.
    if (!top || exists(join(dir, '.git'))) return IgnoreStack.empty();
    // The one read above the audited root, as git does it: the .gitignore files of the enclosing
    // work tree, confined to that work tree.
    const workTree = new FileAccess([top]);
    let stack = IgnoreStack.empty();
    for (const d of ancestors.reverse()) stack = stack.enter(d, files, workTree);
    return stack.ignores(dir, true) ? IgnoreStack.empty() : stack;
  }

  /** The stack for the inside of `dir`: this one plus `dir/.gitignore` when there is one. */
  enter(dir: string, files: GitignoreFiles, access?: FileAccess): IgnoreStack {
    const rules = files.rulesOf(dir, access);
    return rules ? new IgnoreStack([...this.frames, { dir, rules }]) : this;
  }

  ignores(path: string, isDir: boolean): boolean {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (!frame) continue;
      // The walk's paths are its folders' joined with names: below the frame's folder, the rest of the
      // string is the relative path (path.relative resolves both again, for every file of the audit).
      let rel = path.startsWith(frame.dir) && path[frame.dir.length] === sep && frame.dir.length > 1 ? path.slice(frame.dir.length + 1) : relative(frame.dir, path);
      if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) continue;
      if (sep !== '/') rel = rel.split(sep).join('/');
      const verdict = frame.rules.test(isDir ? `${rel}/` : rel);
      if (verdict.ignored) {
        // `ignore` also counts an ignored parent folder. The walk only entered that folder because a
        // deeper .gitignore re-included it (`!dir/`), so this file's verdict on the parent is overruled.
        // (This also drops its patterns for the file itself there, e.g. `*.log`: `ignore` cannot test
        // a path without its parents. A rare combination; git would still ignore such a file.)
        const slash = rel.lastIndexOf('/');
        if (slash > 0 && frame.rules.test(`${rel.slice(0, slash)}/`).ignored) continue;
        return true;
      }
      if (verdict.unignored) return false;
    }
    return false;
  }
}

/**
 * The patterns of one .gitignore, each checked on its own: `ignore` compiles a pattern's regex on
 * first use, so a bad one would otherwise throw in the middle of the walk. The warning names the
 * line, never the pattern (a regex error message would quote it whole).
 */
function compile(text: string, path: string, warn: (warning: AuditWarning) => void): Ignore {
  const rules = ignore();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (line.length > MAX_PATTERN_LENGTH) {
      warn({ path, detail: `line ${i + 1}: pattern skipped (${line.length} characters, over ${MAX_PATTERN_LENGTH})` });
      continue;
    }
    try {
      const one = ignore().add(line);
      one.test('initaudit-probe');
      one.test('initaudit-probe/');
    } catch {
      warn({ path, detail: `line ${i + 1}: pattern skipped (it cannot be compiled)` });
      continue;
    }
    rules.add(line);
  }
  return rules;
}

