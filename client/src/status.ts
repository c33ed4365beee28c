// The language status item (the `{}` in the status bar for Ruby and TypeScript files): how many
// Initaudit problems are in Problems now, and when the last workspace audit ran.

import * as vscode from 'vscode';
import type { AuditSummary } from '../../server/src/lsp/protocol';
import { count, plural } from './words';

/** The server's diagnostics, live and from the workspace audit alike. */
const isOurs = (d: vscode.Diagnostic): boolean => d.source === 'initaudit';

export class AuditStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly listener: vscode.Disposable;
  private last: AuditSummary | undefined;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('initaudit.status', selector);
    this.item.name = 'Initaudit';
    this.item.command = { title: 'Audit Workspace', command: 'initaudit.auditWorkspace' };
    this.listener = vscode.languages.onDidChangeDiagnostics(() => this.render());
    this.render();
  }

  /** The audit is running (`busy`) or has finished. */
  auditing(busy: boolean): void {
    this.item.busy = busy;
  }

  /** An audit finished; a cancelled one changed nothing, so the time shown stays the last complete one's. */
  finished(summary: AuditSummary): void {
    if (!summary.cancelled) this.last = summary;
    this.item.busy = false;
    this.render();
  }

  failed(): void {
    this.item.busy = false;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
    this.item.detail = 'the last workspace audit failed: see Initaudit: Show Output';
  }

  private render(): void {
    let errors = 0;
    let warnings = 0;
    let others = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const d of diagnostics) {
        if (!isOurs(d)) continue;
        if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
        else others++;
      }
    }
    const total = errors + warnings + others;
    this.item.text = total === 0 ? 'Initaudit: no problems' : `Initaudit: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${others ? `, ${count(others)} other` : ''}`;
    this.item.severity = errors > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    const when = this.last ? new Date(this.last.finishedAt).toLocaleTimeString() : undefined;
    this.item.detail = this.last
      ? `last audit ${when}: ${plural(this.last.files, 'file')}, ${plural(this.last.findings, 'finding')}`
      : 'no workspace audit yet';
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
