// "Initaudit: Audit Workspace" in the server: one audit per workspace folder through the same
// `audit()` as the CLI, and the findings of files that are not open kept, so they stay in
// Problems after the files close (and, through auditPersistence.ts, after a reload). An open
// file shows its live diagnostics instead (live wins, never both); when it closes, or changes on
// disk, it is re-analysed from disk and goes back to the audit's set. A cancelled audit changes
// nothing: what it found so far is discarded.

import { isAbsolute, relative, sep } from 'node:path';
import { analyzeFile } from '../core/engine';
import type { Policy } from '../core/policy';
import type { ChangeBase, Finding } from '../core/types';
import { audit, workspaceFor, type AuditResult } from '../audit/run';
import { SourceCache } from '../files/source-cache';
import { unchangedSince, type StoredAudit } from './auditPersistence';
import type { AuditSummary } from './protocol';
import { FileAccess } from '../core/file-access';

export interface AuditRun {
  results: AuditResult[];
  summary: AuditSummary;
}

/** The configuration, suppressions and baseline of a folder, as the live diagnostics use them. */
export type PolicyFor = (root: string) => Promise<Policy | undefined>;

export interface AuditProgress {
  /** Called often; the caller throttles what it sends. */
  report(done: number, total: number, folder: string): void;
}

export class WorkspaceAuditStore {
  /** The last audit's findings per file it analysed (files without findings map to []). */
  private readonly byPath = new Map<string, Finding[]>();
  private last: AuditRun | undefined;
  /** The summary of the audit Problems shows: this session's last, or one kept from before. */
  private shown: AuditSummary | undefined;

  /** The last complete audit of this session (its full results, for the report). */
  get lastRun(): AuditRun | undefined {
    return this.last;
  }

  get shownSummary(): AuditSummary | undefined {
    return this.shown;
  }

  /** Every file and its findings, as Problems shows them (for keeping the audit). */
  get findingsByPath(): ReadonlyMap<string, readonly Finding[]> {
    return this.byPath;
  }

  /**
   * Takes over an audit kept from an earlier session, for files inside `folders`. Returns the files
   * to show as they are, and those changed since (or gone), to re-check.
   */
  restore(stored: StoredAudit, folders: readonly string[]): { unchanged: string[]; changed: string[] } {
    const unchanged: string[] = [];
    const changed: string[] = [];
    for (const file of stored.files) {
      if (!folders.some((f) => isInside(file.path, f)) || this.byPath.has(file.path)) continue;
      this.byPath.set(file.path, file.findings);
      (unchangedSince(file) ? unchanged : changed).push(file.path);
    }
    this.shown ??= stored.summary;
    return { unchanged, changed };
  }

  /** Whether the last audit analysed this file, so its findings belong in Problems while it is closed. */
  has(path: string): boolean {
    return this.byPath.has(path);
  }

  findingsOf(path: string): Finding[] {
    return this.byPath.get(path) ?? [];
  }

  /** Every file the last audit left findings for. */
  pathsWithFindings(): string[] {
    return [...this.byPath].filter(([, f]) => f.length > 0).map(([p]) => p);
  }

  /**
   * Audits the folders (nested folders once, under the outermost) and replaces the stored results.
   * Returns the paths whose audit diagnostics must be republished (new, changed or now clean).
   */
  async run(folders: readonly string[], signal: AbortSignal, progress: AuditProgress, policyFor: PolicyFor, base?: ChangeBase): Promise<{ run: AuditRun; changed: string[] }> {
    const started = Date.now();
    const roots = outermost(folders);
    const results: AuditResult[] = [];
    const discovered = new Map<string, number>();
    for (const root of roots) {
      if (signal.aborted) break;
      const policy = await policyFor(root);
      const result = await audit({ root, targets: [{ path: root, kind: 'dir' }] }, new SourceCache(new FileAccess([root], [], undefined, { rememberFolders: true })), {
        ...(policy ? { policy } : {}),
        ...(base ? { base } : {}),
        signal,
        onProgress: (done, total) => {
          discovered.set(root, total);
          progress.report(done, total, root);
        },
      });
      results.push(result);
    }
    const found = [...discovered.values()].reduce((a, b) => a + b, 0);
    if (signal.aborted) {
      // Partial results would read as "these are the problems": Problems keeps the audit before.
      const summary = summarize(results, roots, true, started, found);
      return { run: { results, summary: { ...summary, ...(this.shown ? { shownFrom: this.shown.finishedAt } : {}) } }, changed: [] };
    }
    const before = new Set(this.pathsWithFindings());
    this.byPath.clear();
    for (const r of results) {
      for (const path of r.files) this.byPath.set(path, []);
      for (const f of r.findings) this.byPath.get(f.path)?.push(f);
    }
    const changed = [...new Set([...before, ...this.pathsWithFindings()])];
    const summary = summarize(results, roots, false, started, found);
    const run: AuditRun = { results, summary: { ...summary, shownFrom: summary.finishedAt } };
    this.last = run;
    this.shown = run.summary;
    return { run, changed };
  }

  /** Drops the files `matches` selects; returns those that had findings, whose diagnostics must be cleared. */
  forget(matches: (path: string) => boolean): string[] {
    const dropped: string[] = [];
    for (const [path, findings] of this.byPath) {
      if (!matches(path)) continue;
      this.byPath.delete(path);
      if (findings.length > 0) dropped.push(path);
    }
    return dropped;
  }

  /**
   * Re-analyses one audited file from disk (it closed, or changed on disk while closed) and
   * updates the stored findings; false when the file is not part of the last audit.
   */
  async refresh(path: string, root: string, policy: Policy | undefined, base?: ChangeBase): Promise<boolean> {
    if (!this.byPath.has(path)) return false;
    const cache = new SourceCache(new FileAccess([root]));
    const read = cache.readSource(path, policy?.config.maxFileSize);
    if (!read.ok || policy?.isExcluded(path)) {
      // Deleted, now binary or too large: it no longer has audit findings.
      this.byPath.delete(path);
      return true;
    }
    // As audit() does for each file: the folder's secret backend for rules, the policy on the result.
    const workspace = workspaceFor(root, cache);
    if (policy) workspace.settings = { secretBackend: policy.config.secretBackend };
    if (base) workspace.base = base;
    const file = { path, text: read.text };
    const result = await analyzeFile(file, workspace);
    this.byPath.set(path, (policy ? policy.apply(file, result) : result).findings);
    return true;
  }
}

function summarize(results: readonly AuditResult[], folders: string[], cancelled: boolean, started: number, discovered: number): AuditSummary {
  const findings = results.flatMap((r) => r.findings);
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  return {
    folders,
    files: results.reduce((n, r) => n + r.files.length, 0),
    discovered,
    findings: findings.length,
    bySeverity: { error: count('error'), warning: count('warning'), info: count('info'), hint: count('hint') },
    toolErrors: results.reduce((n, r) => n + r.errors.length, 0),
    cancelled: cancelled || results.some((r) => r.cancelled === true),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  };
}

/** Folders not inside another folder of the list, so a nested folder's files are audited once. */
export function outermost(folders: readonly string[]): string[] {
  const unique = [...new Set(folders)];
  return unique.filter((f) => !unique.some((o) => o !== f && isInside(f, o)));
}

/** Whether `path` is strictly inside `folder`. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
