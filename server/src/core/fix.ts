// Applying fixes in memory. A fix may touch several files (rewrite the initializer, add the
// test dummy to config/environments/test.rb, create that file), so fixes are applied one at a
// time and the file is re-analysed after each: every later fix is computed against the text the
// earlier ones produced, which keeps shared files (test.rb) consistent and the result idempotent.

import { isAbsolute, relative, sep } from 'node:path';
import { analyzeFile, type AnalyzeOptions } from './engine';
import { applyEdits } from './text';
import type { FileChange, Finding, Fix } from './types';
import type { FileSystemWorkspace } from './workspace';

/** New texts of the files a fix touches, computed against the workspace's current texts. */
export function applyFixChanges(changes: readonly FileChange[], read: (path: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const change of changes) {
    const current = out.get(change.path) ?? read(change.path);
    if (change.kind === 'create') {
      // Creating a file that exists is a no-op, the same as LSP's `ignoreIfExists`.
      if (current === undefined) out.set(change.path, change.text);
    } else if (current !== undefined) {
      out.set(change.path, applyEdits(current, change.edits));
    }
  }
  return out;
}

/**
 * A fix's title as offered to a person: it also names the other files the fix creates or edits,
 * relative to `root`, unless the title already names them. "Use an explicit env key
 * (ENV["K"]; also creates config/environments/test.rb)". `path` is the file the finding is in.
 */
export function fixTitle(fix: Fix, path: string, root: string): string {
  const shown = (p: string): string => {
    const rel = relative(root, p);
    return (rel === '' || rel.startsWith('..') || isAbsolute(rel) ? p : rel).split(sep).join('/');
  };
  const named = (p: string): boolean => {
    // "config/initializers/lockbox.rb" in the title names rails-app/config/initializers/lockbox.rb.
    const parts = shown(p).split('/');
    for (let i = 0; i < parts.length - 1; i++) if (fix.title.includes(parts.slice(i).join('/'))) return true;
    return false;
  };
  const creates: string[] = [];
  const edits: string[] = [];
  for (const c of fix.changes) {
    if (c.path === path || named(c.path) || creates.includes(shown(c.path)) || edits.includes(shown(c.path))) continue;
    if (c.kind === 'create') creates.push(shown(c.path));
    else if (c.edits.length > 0 && !fix.changes.some((o) => o.kind === 'create' && o.path === c.path)) edits.push(shown(c.path));
  }
  const and = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
  const parts = [...(creates.length ? [`creates ${and(creates)}`] : []), ...(edits.length ? [`edits ${and(edits)}`] : [])];
  if (parts.length === 0) return fix.title;
  const also = `also ${parts.join(' and ')}`;
  // One parenthesis: "(ENV["K"])" becomes "(ENV["K"]; also …)".
  return fix.title.endsWith(')') ? `${fix.title.slice(0, -1)}; ${also})` : `${fix.title} (${also})`;
}

export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.isPreferred);
}

export interface FileFixResult {
  /** Files whose text changed (the audited file and any file a fix created or edited). */
  changed: Set<string>;
  /** Fixes applied, in order. */
  applied: { finding: Finding; fix: Fix }[];
}

/**
 * Applies the preferred fix of every finding in `path`, re-analysing after each, into
 * `workspace.overlay`. Nothing is written to disk; the caller decides.
 */
export async function fixFileInMemory(path: string, workspace: FileSystemWorkspace, options: AnalyzeOptions = {}): Promise<FileFixResult> {
  const result: FileFixResult = { changed: new Set(), applied: [] };
  const seen = new Set<string>();
  // Each fix removes its finding, so this ends; the bound only guards against a fix bug.
  for (let round = 0; round < 200; round++) {
    const text = workspace.readFile(path);
    if (text === undefined) break;
    const analysis = await analyzeFile({ path, text }, workspace, options);
    let progressed = false;
    for (const finding of analysis.findings) {
      const fix = preferredFix(finding);
      if (!fix) continue;
      // Two findings may share a range (two gems on one Gemfile line): the message tells them apart.
      const key = `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}#${text.length}#${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const texts = applyFixChanges(fix.changes, (p) => workspace.readFile(p));
      let changedAny = false;
      for (const [p, t] of texts) {
        if (workspace.readFile(p) === t) continue;
        workspace.overlay.set(p, t);
        result.changed.add(p);
        changedAny = true;
      }
      if (changedAny) {
        result.applied.push({ finding, fix });
        progressed = true;
        break;
      }
    }
    if (!progressed) break;
  }
  return result;
}

