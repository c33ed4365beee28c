// The machine format: stable field names, paths relative to the audited root with forward
// slashes, ranges as the engine reports them (0-based, UTF-16) plus 1-based line/column.

import type { Finding, Range } from '../core/types';
import { portableRelative, summarize, type Report, type Summary } from './model';

export interface JsonReport {
  version: string;
  root: string;
  findings: JsonFinding[];
  skipped: { path: string; reason: string; detail: string; size?: number }[];
  warnings: { path: string; detail: string }[];
  errors: { path: string; message: string }[];
  /** With --fix: files written (the findings are then those of the re-audit). */
  fixed?: { path: string; created: boolean }[];
  appliedFixes?: { ruleId: string; path: string; line: number; column: number; title: string; note?: string }[];
  notFixed?: { path: string; reason: string; blockedBy?: string }[];
  /** With --since: the revision compared with; the findings are those the change introduced. */
  since?: { revision: string; commit: string };
  summary: Summary;
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  path: string;
  range: Range;
  line: number;
  column: number;
  message: string;
  /** Markdown: the explanation the editor shows on hover. */
  details?: string;
  related: { path: string; range: Range; line: number; column: number; message: string }[];
  fixes: { title: string; isPreferred: boolean; note?: string }[];
}

export function toJsonReport(report: Report): JsonReport {
  const rel = (p: string): string => portableRelative(report.root, p).path;
  const out: JsonReport = {
    version: report.tool.version,
    root: report.root,
    findings: report.audit.findings.map((f) => toJsonFinding(f, rel)),
    skipped: report.audit.skipped.map((s) => ({ ...s, path: rel(s.path) })),
    warnings: report.audit.warnings.map((w) => ({ ...w, path: rel(w.path) })),
    errors: report.audit.errors.map((e) => ({ ...e, path: rel(e.path) })),
    ...(report.since ? { since: report.since } : {}),
    summary: summarize(report.audit),
  };
  if (report.fix) {
    out.fixed = report.fix.changed.map((c) => ({ path: rel(c.path), created: c.created }));
    out.appliedFixes = report.fix.applied.map(({ finding, fix }) => ({
      ruleId: finding.ruleId,
      path: rel(finding.path),
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      title: fix.title,
      ...(fix.note ? { note: fix.note } : {}),
    }));
    out.notFixed = report.fix.notFixed.map((n) => ({ path: rel(n.path), reason: n.reason, ...(n.blockedBy ? { blockedBy: rel(n.blockedBy) } : {}) }));
    out.errors.push(...report.fix.errors.map((e) => ({ ...e, path: rel(e.path) })));
  }
  return out;
}

export function formatJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

function toJsonFinding(f: Finding, rel: (p: string) => string): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    path: rel(f.path),
    range: f.range,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    message: f.message,
    ...(f.details ? { details: f.details } : {}),
    related: f.related.map((r) => ({
      path: rel(r.path),
      range: r.range,
      line: r.range.start.line + 1,
      column: r.range.start.character + 1,
      message: r.message,
    })),
    fixes: f.fixes.map((x) => ({ title: x.title, isPreferred: x.isPreferred, ...(x.note ? { note: x.note } : {}) })),
  };
}
