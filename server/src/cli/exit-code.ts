// The CLI's exit status: what CI acts on.

import { SEVERITY_RANK } from '../core/types';
import type { Report } from '../report/model';
import type { FailOn } from './args';

/** 0 when nothing reaches the threshold, 1 when something does, 2 when the tool itself failed. */
export function exitCode(report: Report, failOn: FailOn): number {
  if (report.audit.errors.length > 0 || (report.fix?.errors.length ?? 0) > 0) return 2;
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return report.audit.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
