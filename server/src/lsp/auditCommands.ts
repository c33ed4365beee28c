// The workspace audit's protocol side: the audit and report requests, work-done progress with
// cancellation, publishing audit diagnostics for files that are not open, and keeping the last
// audit across reloads (auditPersistence.ts) when the client gives a storage folder.

import { basename } from 'node:path';
import type { CancellationToken, Diagnostic, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';
import { formatSarif } from '../report/sarif';
import { packageInfo } from '../report/package-info';
import { markdownReport } from '../report/markdown';
import { reported } from '../report/model';
import type { ChangeBase, Finding } from '../core/types';
import { toDiagnostic } from './diagnostics';
import { loadAudit, saveAudit } from './auditPersistence';
import {
  AUDIT_REPORT_REQUEST,
  AUDIT_RESTORED_NOTIFICATION,
  AUDIT_WORKSPACE_REQUEST,
  describeError,
  type AuditReport,
  type AuditSummary,
  type AuditWorkspaceParams,
  type Logger,
} from './protocol';
import { isInside, WorkspaceAuditStore, type AuditRun, type PolicyFor } from './workspaceAudit';
import type { WorkspaceFolders } from './workspaceFolders';
import type { Lifecycle } from './lifecycle';

/** At most this often a progress report goes to the client; the audit calls back after every file. */
const PROGRESS_INTERVAL_MS = 100;

export interface AuditHost {
  connection: Connection;
  folders: WorkspaceFolders;
  log: Logger;
  /** Whether a file is open in the editor: its live diagnostics win over the audit's. */
  isOpen(path: string): boolean;
  uriOf(path: string): string;
  policyFor: PolicyFor;
  /** Requests are served only between initialize and shutdown. */
  lifecycle: Lifecycle;
  /** Lockfile bases the client sent, so the audit compares the same way the live diagnostics do. */
  changeBase?: () => ChangeBase | undefined;
}

export class AuditCommands {
  private readonly store = new WorkspaceAuditStore();
  private running: { controller: AbortController; done: Promise<AuditRun> } | undefined;
  /** Where the last audit is kept between sessions (the client's workspace storage), if anywhere. */
  private storageDir: string | undefined;

  constructor(private readonly host: AuditHost) {
    const clientProgress = (params: AuditWorkspaceParams | null | undefined): WorkDoneProgressReporter | undefined =>
      params?.workDoneToken !== undefined ? host.connection.window.attachWorkDoneProgress(params.workDoneToken) : undefined;
    // Params are optional: the handler gets (token) without them, (params, token) with them.
    const split = (args: unknown[]): { params: AuditWorkspaceParams | undefined; token: CancellationToken } => ({
      params: args.length > 1 ? (args[0] as AuditWorkspaceParams | null) ?? undefined : undefined,
      token: args[args.length - 1] as CancellationToken,
    });
    host.connection.onRequest(AUDIT_WORKSPACE_REQUEST, async (...args: unknown[]): Promise<AuditSummary> => {
      host.lifecycle.check();
      const { params, token } = split(args);
      const run = await this.audit(token, clientProgress(params));
      return run.summary;
    });
    host.connection.onRequest(AUDIT_REPORT_REQUEST, async (...args: unknown[]): Promise<AuditReport> => {
      host.lifecycle.check();
      const { params, token } = split(args);
      const run = this.store.lastRun ?? (await this.audit(token, clientProgress(params)));
      return this.report(run);
    });
  }

  /** Keep the last audit in this folder, and show the one kept there (call once, when initialized). */
  async restoreFrom(storageDir: string | undefined): Promise<void> {
    this.storageDir = storageDir;
    const stored = storageDir ? loadAudit(storageDir) : undefined;
    if (!stored) return;
    const { unchanged, changed } = this.store.restore(stored, this.host.folders.all);
    for (const path of unchanged) if (!this.host.isOpen(path)) this.publish(path, this.store.findingsOf(path));
    // Changed since (or gone): checked again rather than shown stale.
    for (const path of changed) if (!this.host.isOpen(path)) await this.refresh(path);
    this.host.log.info(`initaudit: the audit of ${new Date(stored.summary.finishedAt).toLocaleString()} is shown again: ${plural(unchanged.length + changed.length, 'file')} with findings, ${changed.length} re-checked`);
    void this.host.connection.sendNotification(AUDIT_RESTORED_NOTIFICATION, this.store.shownSummary).catch(() => undefined);
  }

  /** Whether the last audit analysed this file. */
  covers(path: string): boolean {
    return this.store.has(path);
  }

  /** A file closed: back to its audit findings (re-analysed from disk), if the last audit covered it. */
  async closed(path: string): Promise<boolean> {
    return this.refresh(path);
  }

  /** Workspace folders were removed: their files leave Problems (unless open, or still under another folder). */
  foldersRemoved(removed: readonly string[]): void {
    if (removed.length === 0) return;
    for (const path of this.store.forget((p) => removed.some((f) => isInside(p, f)) && !this.host.folders.all.some((f) => isInside(p, f)))) {
      if (!this.host.isOpen(path)) this.publish(path, []);
    }
  }

  /** Files changed on disk: those the audit covers and that are not open are re-analysed. */
  async changedOnDisk(paths: readonly string[]): Promise<void> {
    for (const path of paths) if (!this.host.isOpen(path)) await this.refresh(path);
  }

  private async refresh(path: string): Promise<boolean> {
    try {
      const root = this.host.folders.rootFor(path);
      if (!(await this.store.refresh(path, root, await this.host.policyFor(root), this.host.changeBase?.()))) return false;
      if (!this.host.isOpen(path)) this.publish(path, this.store.findingsOf(path));
      return true;
    } catch (e) {
      this.host.log.error(`initaudit: ${path}: re-analysis for the workspace audit failed: ${describeError(e)}`);
      return false;
    }
  }

  /** Runs an audit of every folder; a second request cancels the first and waits its turn. */
  /** `clientProgress`: the reporter of the client's workDoneToken; without one the server creates its own. */
  private async audit(token: CancellationToken, clientProgress?: WorkDoneProgressReporter): Promise<AuditRun> {
    const previous = this.running;
    if (previous) {
      previous.controller.abort();
      await previous.done.catch(() => undefined);
    }
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const done = this.runWithProgress(controller, clientProgress);
    this.running = { controller, done };
    try {
      return await done;
    } finally {
      if (this.running?.done === done) this.running = undefined;
    }
  }

  private async runWithProgress(controller: AbortController, clientProgress: WorkDoneProgressReporter | undefined): Promise<AuditRun> {
    const { connection, folders, log } = this.host;
    let progress: WorkDoneProgressReporter;
    if (clientProgress) progress = clientProgress;
    else {
      const created = await connection.window.createWorkDoneProgress();
      created.token.onCancellationRequested(() => controller.abort());
      progress = created;
    }
    const roots = folders.all;
    progress.begin('Initaudit: auditing the workspace', 0, roots.length ? 'finding files…' : 'no folder is open', true);
    // Discovery blocks this thread: let the begin (with its message) go out before it starts.
    await flushed();
    let lastSent = 0;
    try {
      const { run, changed } = await this.store.run(roots, controller.signal, {
        report: (done, total, root) => {
          const now = Date.now();
          if (now - lastSent < PROGRESS_INTERVAL_MS && done < total) return;
          lastSent = now;
          const where = roots.length > 1 ? `${basename(root)}: ` : '';
          progress.report(total ? Math.floor((done / total) * 100) : 100, `${where}${done}/${total} files`);
        },
      }, this.host.policyFor, this.host.changeBase?.());
      if (changed.length > 0) {
        progress.report(100, `showing ${plural(run.summary.findings, 'finding')} in Problems…`);
        await flushed();
      }
      for (const path of changed) if (!this.host.isOpen(path)) this.publish(path, this.store.findingsOf(path));
      logSummary(log, run.summary);
      for (const r of run.results) for (const e of r.errors) log.error(`initaudit: ${e.message}`);
      if (!run.summary.cancelled && this.storageDir) this.keep(this.storageDir);
      return run;
    } catch (e) {
      log.error(`initaudit: workspace audit failed: ${describeError(e)}`);
      throw e;
    } finally {
      progress.done();
    }
  }

  private publish(path: string, findings: Finding[]): void {
    const uri = this.host.uriOf(path);
    // The same diagnostics as while the file is open, so a finding keeps its label when it is.
    const diagnostics = findings.map((f): Diagnostic => toDiagnostic(f, (p) => this.host.uriOf(p)));
    void this.host.connection
      .sendDiagnostics({ uri, diagnostics })
      .catch((e: unknown) => this.host.log.error(`initaudit: ${path}: cannot publish audit diagnostics: ${describeError(e)}`));
  }

  private keep(dir: string): void {
    const summary = this.store.shownSummary;
    if (!summary) return;
    try {
      saveAudit(dir, summary, this.store.findingsByPath);
    } catch (e) {
      this.host.log.error(`initaudit: cannot keep the audit for the next session in ${dir}: ${describeError(e)}`);
    }
  }

  private report(run: AuditRun): AuditReport {
    const tool = packageInfo();
    const finishedAt = new Date(run.summary.finishedAt);
    const logs = run.results.map((audit) => JSON.parse(formatSarif({ tool, root: audit.root, cwd: audit.root, audit: reported(audit) })) as { runs: unknown[] });
    const sarif = { ...(logs[0] ?? { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' }), runs: logs.flatMap((l) => l.runs) };
    return {
      summary: run.summary,
      sarif: `${JSON.stringify(sarif, null, 2)}\n`,
      markdown: markdownReport(run.results.map(reported), { finishedAt, version: tool.version }),
    };
  }
}

/** One line per audit, the only one: the client shows the outcome but does not log it again. */
function logSummary(log: Logger, s: AuditSummary): void {
  const counts = (['error', 'warning', 'info', 'hint'] as const)
    .filter((k) => s.bySeverity[k] > 0)
    .map((k) => plural(s.bySeverity[k], k))
    .join(', ');
  const what = s.cancelled
    ? `cancelled ${s.discovered ? `after ${s.files} of ${plural(s.discovered, 'file')}` : 'while finding files'} in ${s.durationMs} ms; its results were discarded`
    : `finished in ${s.durationMs} ms: ${plural(s.files, 'file')}, ${plural(s.findings, 'finding')}${counts ? ` (${counts})` : ''}`;
  log.info(`initaudit: workspace audit ${what}${s.toolErrors ? `, ${plural(s.toolErrors, 'internal error')}` : ''}`);
}

/** "1 file", "2 files". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Resolves once messages sent so far have been written (the connection writes on a later turn). */
function flushed(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}
