// The Markdown summary of a workspace audit ("Initaudit: Export Audit Report"): counts, findings
// by rule and by file, and the env-fork classification table (forks judged benign, and why).
// Built from messages and names only, like every other output, so no secret value can reach it.

import { basename } from 'node:path';
import { RULES } from '../core/rules';
import { escapeControls } from '../core/text';
import type { Finding, Note, Severity } from '../core/types';
import { portableRelative } from './model';
import type { AuditResult } from '../audit/run';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface MarkdownReportOptions {
  finishedAt: Date;
  version: string;
}

export function markdownReport(results: readonly AuditResult[], options: MarkdownReportOptions): string {
  const multiRoot = results.length > 1;
  /** How the report names a file: relative to its folder, prefixed by the folder's name in a multi-root workspace. */
  const nameOf = (root: string, path: string): string => {
    const rel = portableRelative(root, path);
    return rel.inside && multiRoot ? `${basename(root)}/${rel.path}` : rel.path;
  };
  const findings = results.flatMap((r) => r.findings.map((f) => ({ f, name: nameOf(r.root, f.path) })));
  const notes = results.flatMap((r) => r.notes.map((n) => ({ n, name: nameOf(r.root, n.path) })));
  const files = results.reduce((sum, r) => sum + r.files.length, 0);
  const out: string[] = [];

  out.push('# Initaudit audit report', '');
  out.push(`Generated ${options.finishedAt.toISOString()} by initaudit ${options.version}.`, '');
  out.push(`Folders: ${results.map((r) => code(r.root)).join(', ') || 'none'}.`, '');
  const counts = SEVERITIES.map((s) => [s, findings.filter(({ f }) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  out.push(
    `${plural(files, 'file')} audited, ${plural(findings.length, 'finding')}` +
      (counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : '') +
      `, ${plural(notes.length, 'env fork')} judged benign.`,
  );
  if (results.some((r) => r.cancelled)) out.push('', '**The audit was cancelled: this report covers only the files analysed before that.**');
  out.push('');

  out.push('## Findings by rule', '');
  const ruleIds = [...new Set([...RULES.map((r) => r.meta.id), ...findings.map(({ f }) => f.ruleId)])];
  out.push('| Rule | Findings | Files | Documentation |', '|---|---:|---:|---|');
  for (const id of ruleIds) {
    const own = findings.filter(({ f }) => f.ruleId === id);
    const docs = RULES.find((r) => r.meta.id === id)?.meta.docsUrl;
    out.push(`| ${code(id)} | ${own.length} | ${new Set(own.map(({ name }) => name)).size} | ${docs ? `[docs](${docs})` : ''} |`);
  }
  out.push('');

  out.push('## Findings by file', '');
  if (findings.length === 0) out.push('No findings.', '');
  const byFile = new Map<string, Finding[]>();
  for (const { f, name } of findings) byFile.set(name, [...(byFile.get(name) ?? []), f]);
  for (const [name, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`### ${code(name)}`, '');
    for (const f of list) out.push(`- line ${f.range.start.line + 1}, ${f.severity}, ${code(f.ruleId)}: ${inline(f.message)}`);
    out.push('');
  }

  out.push('## Environment forks judged benign', '');
  out.push('Forked settings the rules saw and chose not to report, with the reason.', '');
  if (notes.length === 0) out.push('None.', '');
  else {
    out.push('| File | Line | Setting | Rule | Why it is not reported |', '|---|---:|---|---|---|');
    for (const { n, name } of notes.sort(byNameAndLine)) {
      out.push(`| ${code(name)} | ${n.range.start.line + 1} | ${code(n.subject)} | ${code(n.ruleId)} | ${cell(n.reason)} |`);
    }
    out.push('');
  }

  const skipped = results.flatMap((r) => r.skipped.map((s) => `- ${code(nameOf(r.root, s.path))}: skipped (${inline(s.detail)})`));
  const errors = results.flatMap((r) => r.errors.map((e) => `- ${code(nameOf(r.root, e.path))}: ${inline(e.message)}`));
  if (skipped.length || errors.length) {
    out.push('## Not analysed', '', ...errors, ...skipped, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function byNameAndLine(a: { n: Note; name: string }, b: { n: Note; name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.n.range.start.line - b.n.range.start.line;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line of text; Markdown that a message may contain stays literal enough to read. */
function inline(text: string): string {
  return escapeControls(text.replace(/\s*\r?\n\s*/g, ' '));
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** A code span that survives backticks in the text (CommonMark: a longer fence). */
function code(text: string): string {
  const t = cell(text);
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${t} ${fence}` : `${fence}${t}${fence}`;
}
