// Fixes as quick-fix code actions. A fix may create a file and edit several, so edits go out as
// `documentChanges` (ordered, versioned, with CreateFile); plain `changes` is only a fallback
// for clients without it, and only for fixes that create nothing.

import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionContext,
  type CreateFile,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { ruleMetaById } from '../core/rules';
import { UNUSED_SUPPRESSION_ID } from '../core/rules/unused-suppression';
import { disableForFileEdit, disableForLineEdit } from '../core/suppressions';
import { fixTitle } from '../core/fix';
import type { Finding, Fix, LanguageId, Range } from '../core/types';
import { findingId } from './diagnostics';
import { isInside } from './workspaceAudit';
import { AFTER_FIX_COMMAND, isConfigFixData, isDiagnosticData, SHOW_DOCUMENTATION_COMMAND, type AfterFixArgs, type ClientFeatures } from './protocol';

/** How the paths in a fix map onto the client's documents. */
export interface FixTarget {
  /** The audited document's path, and whether it is a buffer without a file. */
  path: string;
  synthetic: boolean;
  /** The workspace folder (or a loose file's folder): titles name other files relative to it. */
  root: string;
  /** The URI the client knows a path by (its own for open documents). */
  uriOf(path: string): string;
  /** Version of an open document, null for a file on disk. */
  versionOf(path: string): number | null;
  exists(path: string): boolean;
  /** The text of a buffer still open for a file deleted on disk (a file an undone fix created). */
  staleText?(path: string): string | undefined;
}

/** Whether a request restricted to `only` kinds wants quick fixes. */
export function wantsQuickFixes(only: readonly string[] | undefined): boolean {
  return wantsKind(only, CodeActionKind.QuickFix);
}

/** `source.fixAll.initaudit`, for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.initaudit`;

/** Whether a request asks for fix-all; only when asked by kind (on save, or "Fix all" menus), never unasked. */
export function wantsFixAll(only: readonly string[] | undefined): boolean {
  return only !== undefined && wantsKind(only, FIX_ALL_KIND);
}

function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  if (!only) return true;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** What the suppression actions need to know about the document. */
export interface SuppressionTarget {
  uri: string;
  version: number | null;
  text: string;
  lang: LanguageId;
}

/**
 * For each finding in the request's diagnostics: "Disable <rule> for this line" (merged into a
 * directive already on the line above), "Disable <rule> for this file", and "Show documentation
 * for <rule>". Directives are written by the same core code (core/suppressions.ts) the CLI reads.
 */
export function suppressionActionsFor(findings: readonly Finding[], context: CodeActionContext, doc: SuppressionTarget, features: ClientFeatures): CodeAction[] {
  if (!wantsQuickFixes(context.only)) return [];
  const line: CodeAction[] = [];
  const file: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const seenLine = new Set<string>();
  const seenRule = new Set<string>();
  const editOf = (edit: TextEdit): WorkspaceEdit =>
    features.documentChanges ? { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, [edit])] } : { changes: { [doc.uri]: [edit] } };
  for (const diagnostic of context.diagnostics) {
    const finding = matchFinding(findings, diagnostic);
    if (!finding || finding.ruleId === UNUSED_SUPPRESSION_ID) continue;
    const id = finding.ruleId;
    const lineKey = `${id}@${finding.range.start.line}`;
    if (!seenLine.has(lineKey)) {
      seenLine.add(lineKey);
      const edit = disableForLineEdit(doc.text, doc.lang, id, finding.range.start.line);
      if (edit) line.push({ title: `Disable ${id} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: editOf(edit) });
    }
    if (seenRule.has(id)) continue;
    seenRule.add(id);
    const edit = disableForFileEdit(doc.text, doc.lang, id);
    if (edit) file.push({ title: `Disable ${id} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: editOf(edit) });
    const url = ruleMetaById(id)?.docsUrl;
    if (url) docs.push({ title: `Show documentation for ${id}`, kind: CodeActionKind.QuickFix, command: { title: `Show documentation for ${id}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [url, id] } });
  }
  // Fixes first (listed by codeActionsFor), then the ways out, as vscode-eslint orders them.
  return [...line, ...file, ...docs];
}

export function codeActionsFor(
  findings: readonly Finding[],
  context: CodeActionContext,
  target: FixTarget,
  features: ClientFeatures,
): CodeAction[] {
  if (!wantsQuickFixes(context.only)) return [];
  const actions: CodeAction[] = [];
  const done = new Set<Finding>();
  for (const diagnostic of context.diagnostics) {
    const finding = matchFinding(findings, diagnostic);
    if (!finding || done.has(finding)) continue;
    done.add(finding);
    for (const fix of finding.fixes) {
      const edit = workspaceEditFor(fix, target, features);
      if (!edit) continue;
      // The title says which other files the fix creates or edits, so nothing changes unseen.
      const action: CodeAction = { title: fixTitle(fix, target.path, target.root), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit };
      const after = afterFix(fix, edit);
      if (after) action.command = { title: 'Show the created files and what is left to do', command: AFTER_FIX_COMMAND, arguments: [after] };
      actions.push(action);
    }
  }
  return actions;
}

/**
 * Quick fixes for `.initaudit.yml` problems with a likely correction ("did you mean exclude?"):
 * each replaces the misspelt key or value, the diagnostic's range, with the known word.
 */
export function configFixActions(context: CodeActionContext, doc: { uri: string; version: number | null }, features: ClientFeatures): CodeAction[] {
  if (!wantsQuickFixes(context.only)) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of context.diagnostics) {
    const data: unknown = diagnostic.data;
    if (!isConfigFixData(data)) continue;
    const edit: TextEdit = { range: diagnostic.range, newText: data.configFix.newText };
    actions.push({
      title: data.configFix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: features.documentChanges ? { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, [edit])] } : { changes: { [doc.uri]: [edit] } },
    });
  }
  return actions;
}

/** Once the edit is applied: reveal the files it created, and say what the edit alone does not finish (a setup file to register). */
function afterFix(fix: Fix, edit: WorkspaceEdit): AfterFixArgs | undefined {
  const created = (edit.documentChanges ?? []).flatMap((c) => ('kind' in c && c.kind === 'create' ? [c.uri] : []));
  if (!fix.note && created.length === 0) return undefined;
  return { ...(fix.note ? { note: fix.note } : {}), ...(created.length ? { created } : {}) };
}

/** The finding a diagnostic was published for: by fingerprint, else by rule and range. */
export function matchFinding(findings: readonly Finding[], diagnostic: Diagnostic): Finding | undefined {
  const data: unknown = diagnostic.data;
  if (isDiagnosticData(data)) {
    const byId = findings.find((f) => f.ruleId === data.ruleId && findingId(f) === data.id);
    if (byId) return byId;
  }
  return findings.find((f) => f.ruleId === diagnostic.code && sameRange(f.range, diagnostic.range));
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/**
 * The edit for one fix, or undefined when the client cannot express it. Mirrors
 * `applyFixChanges` in core/fix.ts: creating an existing file and editing a missing one are
 * no-ops, so the editor and `--fix` agree.
 */
export function workspaceEditFor(fix: Fix, target: FixTarget, features: ClientFeatures): WorkspaceEdit | undefined {
  // A buffer without a file cannot be related to the files around it.
  if (target.synthetic && fix.changes.some((c) => c.path !== target.path)) return undefined;
  // Nothing outside the folder (a loose file's own folder): such a fix is not offered at all.
  if (fix.changes.some((c) => c.path !== target.path && !isInside(c.path, target.root))) return undefined;

  // Files to create first, then every text edit: VS Code makes one undo element of a run of text
  // edits, so the whole fix (the created file included) is one Ctrl+Z. Interleaved (edit, create,
  // edit), each run became its own element and undo stopped halfway, leaving the created file.
  const creates: CreateFile[] = [];
  const edits: TextDocumentEdit[] = [];
  const changes: Record<string, TextEdit[]> = {};
  const created = new Set<string>();
  const edited = new Set<string>();
  let repeatsPath = false;
  for (const change of fix.changes) {
    const uri = target.uriOf(change.path);
    if (change.kind === 'create') {
      if (created.has(change.path) || target.exists(change.path)) continue;
      created.add(change.path);
      creates.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
      // Over a stale buffer's text, if VS Code kept one; VS Code clamps the range to an empty file.
      if (change.text) edits.push(TextDocumentEdit.create({ uri, version: null }, [replaceFrom(change.text, target.staleText?.(change.path))]));
    } else {
      if (change.edits.length === 0 || !(created.has(change.path) || target.exists(change.path))) continue;
      repeatsPath ||= edited.has(change.path) || created.has(change.path);
      // A second edit of the same document follows the first, which has already changed its version.
      const version = created.has(change.path) || edited.has(change.path) ? null : target.versionOf(change.path);
      edited.add(change.path);
      edits.push(TextDocumentEdit.create({ uri, version }, change.edits));
      changes[uri] = change.edits;
    }
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [...creates, ...edits];
  if (documentChanges.length === 0) return undefined;
  if (features.documentChanges && (created.size === 0 || features.createFiles)) return { documentChanges };
  // `changes` edits all refer to the original texts: nothing to create, no file edited twice.
  if (created.size > 0 || repeatsPath) return undefined;
  return { changes };
}

/** The created file's text, inserted at 0:0, or over all of `stale`. */
function replaceFrom(text: string, stale: string | undefined): TextEdit {
  const lines = (stale ?? '').split(/\r\n|\r|\n/);
  const end = { line: lines.length - 1, character: lines[lines.length - 1]?.length ?? 0 };
  return { range: { start: { line: 0, character: 0 }, end }, newText: text };
}
