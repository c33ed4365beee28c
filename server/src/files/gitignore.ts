// .gitignore matching for the directory walk. Each .gitignore is its own `ignore` instance
// tested with paths relative to its folder; the deepest file with an opinion about a path wins,
// as in git. Directories the walk has skipped are never entered, so nothing below them is tested.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

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
  static forStartDir(dir: string, cache: Map<string, Ignore | null>): IgnoreStack {
    const ancestors: string[] = [];
    let top: string | undefined;
    for (let d = dirname(dir), prev = dir; d !== prev; prev = d, d = dirname(d)) {
      ancestors.push(d);
      if (existsSync(join(d, '.git'))) {
        top = d;
        break;
      }
    }
    // Also stop at `dir` itself when it is the work tree root: its .gitignore is read by the walk.
    if (!top || existsSync(join(dir, '.git'))) return IgnoreStack.empty();
    let stack = IgnoreStack.empty();
    for (const d of ancestors.reverse()) stack = stack.enter(d, cache);
    return stack.ignores(dir, true) ? IgnoreStack.empty() : stack;
  }

  /** The stack for the inside of `dir`: this one plus `dir/.gitignore` when there is one. */
  enter(dir: string, cache: Map<string, Ignore | null>): IgnoreStack {
    let rules = cache.get(dir);
    if (rules === undefined) {
      rules = loadGitignore(join(dir, '.gitignore'));
      cache.set(dir, rules);
    }
    return rules ? new IgnoreStack([...this.frames, { dir, rules }]) : this;
  }

  ignores(path: string, isDir: boolean): boolean {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (!frame) continue;
      let rel = relative(frame.dir, path);
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

function loadGitignore(path: string): Ignore | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return ignore().add(text);
}
