// The human format, one grep-friendly line per finding:
//   path:line:col severity rule-id message
// with 1-based line and column (the column counts UTF-16 code units, as editors and LSP do),
// then one summary line. Side information (skipped files, fixes, errors) goes to stderr.

import { escapeControls } from '../core/text';
import { displayPath, summarize, type Report, type Summary } from './model';

export function formatText(report: Report): string {
  const lines = report.audit.findings.map((f) => {
    const { line, character } = f.range.start;
    return `${displayPath(report.cwd, f.path)}:${line + 1}:${character + 1} ${f.severity} ${f.ruleId} ${oneLine(f.message)}`;
  });
  lines.push(summaryLine(summarize(report.audit), report.fix !== undefined));
  return `${lines.map(escapeControls).join('\n')}\n`;
}

export function summaryLine(s: Summary, fixed: boolean): string {
  if (s.problems === 0) return `No problems found in ${plural(s.files, 'file')}`;
  const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos > 0) parts.push(plural(s.infos, 'info', 'infos'));
  if (s.hints > 0) parts.push(plural(s.hints, 'hint'));
  let line = `${plural(s.problems, 'problem')} (${parts.join(', ')}) in ${plural(s.filesWithProblems, 'file')}`;
  // After --fix, what remains has no automatic fix (or its fix could not be applied).
  if (s.fixable > 0 && !fixed) line += `; ${s.fixable} fixable with --fix`;
  return line;
}

/** stderr lines in text mode: skipped files, fix results and notes, internal errors. */
export function textDiagnostics(report: Report): string[] {
  const show = (p: string): string => displayPath(report.cwd, p);
  const out: string[] = [];
  if (report.since) out.push(`initaudit: reporting only what changed since ${report.since.revision} (${report.since.commit.slice(0, 12)})`);
  for (const s of report.audit.skipped) out.push(`${show(s.path)}: skipped (${s.detail})`);
  for (const w of report.audit.warnings) out.push(`${show(w.path)}: warning: ${w.detail}`);
  if (report.fix) {
    for (const c of report.fix.changed) out.push(`${show(c.path)}: ${c.created ? 'created' : 'fixed'}`);
    const notes = new Set<string>();
    for (const { finding, fix } of report.fix.applied) {
      if (!fix.note || notes.has(fix.note)) continue;
      notes.add(fix.note);
      const { line, character } = finding.range.start;
      out.push(`${show(finding.path)}:${line + 1}:${character + 1} note: ${oneLine(fix.note)}`);
    }
    for (const n of report.fix.notFixed) out.push(`${show(n.path)}: not fixed (${n.reason}${n.blockedBy ? `: ${show(n.blockedBy)}` : ''})`);
  }
  return [...out.map(escapeControls), ...errorLines(report)];
}

/** Internal errors, printed to stderr whatever the format. */
export function errorLines(report: Report): string[] {
  const errors = [...report.audit.errors, ...(report.fix?.errors ?? [])];
  // Continuation lines (stacks, with INITAUDIT_DEBUG=1) are indented: none can pass for a report line.
  return errors.map((e) => `${displayPath(report.cwd, e.path)}: error: ${e.message}`.split(/\r?\n/).map(escapeControls).join('\n    '));
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}
