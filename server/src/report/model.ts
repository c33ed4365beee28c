// The result of one audit run, independent of how it is printed: the report layer the CLI and the
// language server share. Formatters (text, JSON, SARIF, Markdown) turn it into output; paths stay
// absolute here and each formatter relativises them its own way.

import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, Fix, Severity } from '../core/types';
import type { PackageInfo } from './package-info';
import type { AuditResult } from '../audit/run';
import type { ToolError } from '../audit/errors';
import type { Shard } from '../audit/shard';

export type { SkippedFile } from '../files/skipped';
export type { AuditResult } from '../audit/run';
export type { ToolError } from '../audit/errors';

export interface ChangedFile {
  path: string;
  created: boolean;
}

export interface NotFixed {
  path: string;
  reason: string;
  /** The other file the fixes needed to change, when it is that file that could not be rewritten. */
  blockedBy?: string;
}

export interface FixOutcome {
  changed: ChangedFile[];
  applied: { finding: Finding; fix: Fix }[];
  /** Files whose fixes were dropped because a file they touch could not be safely rewritten. */
  notFixed: NotFixed[];
  /** Writes that failed: the tool could not do what it was asked (exit code 2). */
  errors: ToolError[];
}

export interface Report {
  tool: PackageInfo;
  /** The directory paths in JSON and SARIF are relative to. */
  root: string;
  /** The directory paths in text output are relative to. */
  cwd: string;
  audit: AuditResult;
  /** Present with --fix; `audit` is then the re-audit after fixing. */
  fix?: FixOutcome;
  /** Present with --since: `audit.findings` are only those the change since this revision introduced. */
  since?: { revision: string; commit: string };
  /** Present with --shard: `audit` covers this partition of the files only. */
  shard?: Shard;
}

/** What reports count: editor-only markers (`Finding.secondary`) left out. */
export function reported(audit: AuditResult): AuditResult {
  return audit.findings.some((f) => f.secondary) ? { ...audit, findings: audit.findings.filter((f) => !f.secondary) } : audit;
}

export interface Summary {
  files: number;
  filesWithProblems: number;
  problems: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** Findings with a preferred fix, i.e. what --fix would change. */
  fixable: number;
}

export function summarize(audit: AuditResult): Summary {
  const count = (s: Severity): number => audit.findings.filter((f) => f.severity === s).length;
  return {
    files: audit.files.length,
    filesWithProblems: new Set(audit.findings.map((f) => f.path)).size,
    problems: audit.findings.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    hints: count('hint'),
    fixable: audit.findings.filter((f) => f.fixes.some((x) => x.isPreferred)).length,
  };
}

/** `path` relative to `base` with forward slashes; absolute (still forward slashes) when outside it. */
export function portableRelative(base: string, path: string): { path: string; inside: boolean } {
  const rel = relative(base, path);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  const p = inside ? rel : path;
  return { path: sep === '/' ? p : p.split(sep).join('/'), inside };
}

/** How text output names a file: relative to the cwd (absolute when outside it), native separators. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? path : rel;
}
