// "Initaudit: Audit Workspace" and "Initaudit: Export Audit Report". The audit runs in the
// server, which reports progress to a notification opened here (its Cancel cancels the request);
// the client reports the outcome and writes the exported files through vscode.workspace.fs.

import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import type { AuditReport, AuditSummary, AuditWorkspaceParams } from '../../server/src/lsp/protocol';
import type { AuditStatus } from './status';
import { count, plural, severityCounts } from './words';

// Method names as declared in server/src/lsp/protocol.ts (only its types can be imported here).
const AUDIT_WORKSPACE_REQUEST = 'initaudit/auditWorkspace';
const AUDIT_REPORT_REQUEST = 'initaudit/auditReport';

export interface AuditDeps {
  client: () => LanguageClient | undefined;
  channel: vscode.LogOutputChannel;
  status: AuditStatus;
}

/**
 * Runs the audit and says how it ended: counts with "Show Problems", or that it was cancelled and
 * what Problems shows instead. The server logs the outcome; nothing is logged twice here.
 */
export async function auditWorkspace(deps: AuditDeps): Promise<AuditSummary | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage(NO_FOLDER);
    return undefined;
  }
  const client = running(deps);
  if (!client) return undefined;
  deps.status.auditing(true);
  try {
    const summary = await withServerProgress(client, 'Initaudit: auditing the workspace', (params, token) =>
      client.sendRequest<AuditSummary>(AUDIT_WORKSPACE_REQUEST, params, token),
    );
    deps.status.finished(summary);
    void tellOutcome(deps, summary);
    return summary;
  } catch (e) {
    if (e instanceof vscode.CancellationError) {
      deps.status.auditing(false);
      void vscode.window.showInformationMessage('Initaudit: the workspace audit was cancelled.');
      return undefined;
    }
    deps.status.failed();
    return fail(deps, 'the workspace audit failed', e);
  }
}

/**
 * Writes `<name>.sarif` and `<name>.md`. `target` (the SARIF file's URI) is asked for with a
 * save dialog when not given; tests and keybindings pass it.
 */
export async function exportReport(deps: AuditDeps, target?: vscode.Uri): Promise<vscode.Uri[] | undefined> {
  const client = running(deps);
  if (!client) return undefined;
  try {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const sarifUri =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Initaudit audit report (a Markdown summary is written next to it)',
        filters: { SARIF: ['sarif'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'initaudit.sarif') } : {}),
      }));
    if (!sarifUri) return undefined;
    deps.status.auditing(true);
    const report = await withServerProgress(client, 'Initaudit: preparing the audit report', (params, token) =>
      client.sendRequest<AuditReport>(AUDIT_REPORT_REQUEST, params, token),
    );
    deps.status.finished(report.summary);
    if (report.summary.cancelled) {
      void vscode.window.showInformationMessage('Initaudit: the audit for the report was cancelled; no report was written.');
      return undefined;
    }
    const markdownUri = sarifUri.with({ path: sarifUri.path.replace(/(\.sarif)?(\.json)?$/, '') + '.md' });
    const encoder = new TextEncoder();
    await vscode.workspace.fs.writeFile(sarifUri, encoder.encode(report.sarif));
    await vscode.workspace.fs.writeFile(markdownUri, encoder.encode(report.markdown));
    deps.channel.info(`Initaudit: wrote ${sarifUri.toString(true)} and ${markdownUri.toString(true)}`);
    if (!target) {
      void vscode.window.showInformationMessage(`Initaudit: report written to ${vscode.workspace.asRelativePath(markdownUri)}.`, 'Open').then((c) => {
        if (c) void vscode.window.showTextDocument(markdownUri);
      });
    }
    return [sarifUri, markdownUri];
  } catch (e) {
    if (e instanceof vscode.CancellationError) {
      deps.status.auditing(false);
      deps.channel.info('Initaudit: exporting the audit report was cancelled.');
      return undefined;
    }
    deps.status.failed();
    return fail(deps, 'exporting the audit report failed', e);
  }
}

/**
 * A cancellable notification that shows the server's work-done progress (files done / total):
 * the request carries a workDoneToken the server reports to, and Cancel cancels the request.
 * (vscode-languageclient shows server-initiated progress in the status bar only, without Cancel.)
 */
function withServerProgress<T>(client: LanguageClient, title: string, send: (params: AuditWorkspaceParams, token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const workDoneToken = randomUUID();
      let last = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage !== undefined ? value.percentage - last : undefined;
        if (value.percentage !== undefined) last = value.percentage;
        progress.report({ ...(value.message !== undefined ? { message: value.message } : {}), ...(increment ? { increment } : {}) });
      });
      try {
        return await send({ workDoneToken }, token);
      } finally {
        listener.dispose();
      }
    }),
  );
}

const NO_FOLDER = 'Initaudit: no folder is open, so there is nothing to audit. Open a folder to audit it; files you open are checked as you type.';

/** The message after an audit: what it found (with "Show Problems"), or that it was cancelled. */
export function outcomeMessage(s: AuditSummary): string {
  if (s.cancelled) {
    const progress = s.discovered > 0 ? ` after ${count(s.files)} of ${plural(s.discovered, 'file')}` : ' while finding files';
    const shown = s.shownFrom ? `Problems still shows the audit of ${new Date(s.shownFrom).toLocaleTimeString()}` : 'nothing was added to Problems';
    return `Initaudit: the workspace audit was cancelled${progress}; ${shown}.`;
  }
  if (s.folders.length === 0) return NO_FOLDER;
  const found = s.findings === 0 ? 'no problems' : severityCounts(s.bySeverity);
  return `Initaudit: audited ${plural(s.files, 'file')}: ${found}.${s.toolErrors > 0 ? ` ${plural(s.toolErrors, 'file')} could not be analysed: see the output.` : ''}`;
}

async function tellOutcome(deps: AuditDeps, summary: AuditSummary): Promise<void> {
  const text = outcomeMessage(summary);
  if (summary.cancelled || summary.folders.length === 0) {
    await vscode.window.showInformationMessage(text);
    return;
  }
  const show = summary.toolErrors > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const actions = [...(summary.findings > 0 ? ['Show Problems'] : []), ...(summary.toolErrors > 0 ? ['Show Output'] : [])];
  const choice = await show(text, ...actions);
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === 'Show Output') deps.channel.show(true);
}

function running(deps: AuditDeps): LanguageClient | undefined {
  const client = deps.client();
  if (client?.isRunning()) return client;
  const message = 'Initaudit: the language server is not running; use "Initaudit: Restart Language Server".';
  deps.channel.error(message);
  void vscode.window.showErrorMessage(message);
  return undefined;
}

function fail(deps: AuditDeps, what: string, e: unknown): undefined {
  const message = `Initaudit: ${what}: ${e instanceof Error ? e.message : String(e)}`;
  deps.channel.error(message);
  void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && deps.channel.show(true));
  return undefined;
}
