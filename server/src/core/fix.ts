// Applying fixes in memory. A fix may touch several files (rewrite the initializer, add the
// test dummy to config/environments/test.rb, create that file), so fixes are applied one at a
// time and the file is re-analysed after each: every later fix is computed against the text the
// earlier ones produced, which keeps shared files (test.rb) consistent and the result idempotent.

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

