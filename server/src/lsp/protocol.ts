// What the server and client agree on beyond plain LSP, and the client capabilities the
// server branches on.

import type { ClientCapabilities } from 'vscode-languageserver';

export const SOURCE = 'initaudit';

/**
 * Run by the client after a fix's edit (CodeAction.command): the server reveals the files the fix
 * created (window/showDocument without focus) and shows the fix's note. Argument: AfterFixArgs.
 */
export const AFTER_FIX_COMMAND = 'initaudit.afterFix';

export interface AfterFixArgs {
  /** What is left to do by hand (e.g. register a new test setup file). */
  note?: string;
  /** URIs of the files the fix created. */
  created?: string[];
}

export function isAfterFixArgs(value: unknown): value is AfterFixArgs {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v['note'] === undefined || typeof v['note'] === 'string') && (v['created'] === undefined || (Array.isArray(v['created']) && v['created'].every((u) => typeof u === 'string')));
}

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

/** `Diagnostic.data` of a `.initaudit.yml` problem with a likely correction: the quick fix replaces the diagnostic's range. */
export interface ConfigFixData {
  configFix: { title: string; newText: string };
}

export function isConfigFixData(value: unknown): value is ConfigFixData {
  if (typeof value !== 'object' || value === null) return false;
  const fix = (value as Record<string, unknown>)['configFix'];
  return typeof fix === 'object' && fix !== null && typeof (fix as Record<string, unknown>)['title'] === 'string' && typeof (fix as Record<string, unknown>)['newText'] === 'string';
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

/** `initialize`'s initializationOptions from the VS Code client. */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's workspace storage): the last audit is kept there. */
  storageDir?: string;
  /** Warm the engine up right after initialize (core/warm-up.ts): an editor window, not a short-lived test client. */
  warmUp?: boolean;
}

/** The options this server understands, checked: a client may send anything. */
export function initializationOptionsOf(options: unknown): InitializationOptions {
  const o = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  const dir = o['storageDir'];
  return { ...(typeof dir === 'string' && dir.length > 0 ? { storageDir: dir } : {}), ...(o['warmUp'] === true ? { warmUp: true } : {}) };
}

/** Notification, server → client: the last audit, kept from an earlier session, is in Problems again. Params: AuditSummary. */
export const AUDIT_RESTORED_NOTIFICATION = 'initaudit/auditRestored';

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
  /** Files analysed (all of them, unless cancelled). */
  files: number;
  /** Files found to audit. */
  discovered: number;
  findings: number;
  bySeverity: { error: number; warning: number; info: number; hint: number };
  /** Internal failures (a file the tool could not analyse). */
  toolErrors: number;
  /** Cancelled: what it found was discarded, Problems still shows the audit before it (if any). */
  cancelled: boolean;
  /** When the audit Problems shows finished (the one before, for a cancelled audit), if there is one. ISO 8601. */
  shownFrom?: string;
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
