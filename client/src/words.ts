// Counts in messages: "1 file", "2 errors, 5 warnings", never "2 error".

import type { AuditSummary } from '../../server/src/lsp/protocol';

/** "2 errors, 5 warnings": errors and warnings always, infos and hints when there are some (as the CLI says them). */
export function severityCounts(by: AuditSummary['bySeverity']): string {
  const parts = [plural(by.error, 'error'), plural(by.warning, 'warning')];
  if (by.info > 0) parts.push(plural(by.info, 'info'));
  if (by.hint > 0) parts.push(plural(by.hint, 'hint'));
  return parts.join(', ');
}

export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

