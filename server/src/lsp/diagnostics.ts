// Findings as LSP diagnostics.

import { createHash } from 'node:crypto';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { ruleMetaById } from '../core/rules';
import { UNUSED_SUPPRESSION_ID } from '../core/rules/unused-suppression';
import type { Finding, Severity } from '../core/types';
import { SOURCE, type DiagnosticData } from './protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * A fingerprint of what the user sees (rule, range, message), so a code action request can
 * tell which of the freshly recomputed findings a diagnostic in its context refers to.
 */
export function findingId(f: Pick<Finding, 'ruleId' | 'range' | 'message'>): string {
  const { start, end } = f.range;
  const key = `${f.ruleId}\0${start.line}:${start.character}-${end.line}:${end.character}\0${f.message}`;
  return createHash('sha1').update(key).digest('hex').slice(0, 16);
}

export function toDiagnostic(f: Finding, uriOf: (path: string) => string): Diagnostic {
  const data: DiagnosticData = { ruleId: f.ruleId, id: findingId(f) };
  const diagnostic: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    source: SOURCE,
    message: f.message,
    data,
  };
  const docs = ruleMetaById(f.ruleId)?.docsUrl;
  if (docs) diagnostic.codeDescription = { href: docs };
  // Faded out like unused code: the directive can go.
  if (f.ruleId === UNUSED_SUPPRESSION_ID) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (f.related.length > 0) {
    diagnostic.relatedInformation = f.related.map(
      (r): DiagnosticRelatedInformation => ({ location: { uri: uriOf(r.path), range: r.range }, message: r.message }),
    );
  }
  return diagnostic;
}
