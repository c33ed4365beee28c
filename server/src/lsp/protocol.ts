// What the server and client agree on beyond plain LSP, and the client capabilities the
// server branches on.

import type { ClientCapabilities } from 'vscode-languageserver';

export const SOURCE = 'initaudit';

/** Run by the client after a fix's edit (CodeAction.command): shows the fix's note. Argument: the note. */
export const SHOW_FIX_NOTE_COMMAND = 'initaudit.showFixNote';

/** Run by the client from "Show documentation for <rule>": the server asks the client to open the URL (window/showDocument). Argument: the URL. */
export const SHOW_DOCUMENTATION_COMMAND = 'initaudit.showDocumentation';

/** `Diagnostic.data`: lets a code action request find the finding a diagnostic came from. */
export interface DiagnosticData {
  ruleId: string;
  /** Fingerprint of rule, range and message; see `findingId`. */
  id: string;
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['ruleId'] === 'string' && typeof v['id'] === 'string';
}

export interface ClientFeatures {
  /** WorkspaceEdit.documentChanges (versioned edits, required for creating files). */
  documentChanges: boolean;
  /** The 'create' resource operation inside documentChanges. */
  createFiles: boolean;
  /** The server may register file watchers itself. */
  watchedFilesRegistration: boolean;
  /** workspace/didChangeWorkspaceFolders can be received. */
  workspaceFolders: boolean;
}

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  const edit = caps.workspace?.workspaceEdit;
  return {
    documentChanges: edit?.documentChanges === true,
    createFiles: edit?.resourceOperations?.includes('create') === true,
    watchedFilesRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: caps.workspace?.workspaceFolders === true,
  };
}

export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

// --- Workspace audit (issue 5). Plain strings and records so the client can import them as types.

/** `Diagnostic.source` of findings from a workspace audit (closed files); live diagnostics use SOURCE. */
export const AUDIT_SOURCE = 'initaudit (audit)';

/**
 * Request, client → server: audit every workspace folder. Params: AuditWorkspaceParams (optional). Result:
 * AuditSummary. Work-done progress goes to the client's `workDoneToken` when it sends one (VS Code shows it as a
 * cancellable notification; `$/cancelRequest` cancels), else to a server-initiated `window/workDoneProgress/create`.
 */
export const AUDIT_WORKSPACE_REQUEST = 'initaudit/auditWorkspace';

export interface AuditWorkspaceParams {
  workDoneToken?: string | number;
}

/** Request, client → server: the last audit's report (runs an audit first if there was none). Params and progress as for the audit. Result: AuditReport. */
export const AUDIT_REPORT_REQUEST = 'initaudit/auditReport';

export interface AuditSummary {
  folders: string[];
  files: number;
  findings: number;
  bySeverity: { error: number; warning: number; info: number; hint: number };
  /** Internal failures (a file the tool could not analyse). */
  toolErrors: number;
  cancelled: boolean;
  /** ISO 8601. */
  finishedAt: string;
  durationMs: number;
}

export interface AuditReport {
  summary: AuditSummary;
  /** SARIF 2.1.0, one run per workspace folder. */
  sarif: string;
  markdown: string;
}

// --- Lockfile comparison (issue 14): the client reads a lockfile's base through VS Code's git extension.

/**
 * Notification, client → server: the text of a lockfile (Gemfile.lock, package-lock.json) at a git ref,
 * read by the client through VS Code's git extension, so the server can report what the working copy
 * changed (lockfile-major-drift). `text: null`: the file does not exist at that ref. `ref` absent:
 * forget the base of this file (no repository, or the file left the repository).
 */
export const LOCKFILE_BASE_NOTIFICATION = 'initaudit/lockfileBase';

export interface LockfileBaseParams {
  uri: string;
  ref?: string;
  text?: string | null;
}
