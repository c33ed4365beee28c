// What the server and client agree on beyond plain LSP, and the client capabilities the
// server branches on.

import type { ClientCapabilities } from 'vscode-languageserver';

export const SOURCE = 'initaudit';

/** Run by the client after a fix's edit (CodeAction.command): shows the fix's note. Argument: the note. */
export const SHOW_FIX_NOTE_COMMAND = 'initaudit.showFixNote';

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
