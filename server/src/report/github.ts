// GitHub Actions workflow commands, for CI without code scanning: one annotation per finding,
//   ::error file=app/x.rb,line=3,col=5,endLine=3,endColumn=20,title=rule-id::message
// (info and hint findings are notices), then the summary line as plain log output. Escaping
// follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in property
// values `:` and `,` are too. Paths are relative to the working directory, which on a runner is
// the repository checkout the annotations refer to.

import type { Severity } from '../core/types';
import { portableRelative, summarize, type Report } from './model';
import { summaryLine } from './text';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: Report): string {
  const lines = report.audit.findings.map((f) => {
    const { start, end } = f.range;
    const props = [
      `file=${escapeProperty(portableRelative(report.cwd, f.path).path)}`,
      `line=${start.line + 1}`,
      `col=${start.character + 1}`,
      `endLine=${end.line + 1}`,
      `endColumn=${end.character + 1}`,
      `title=${escapeProperty(f.ruleId)}`,
    ];
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
  });
  lines.push(summaryLine(summarize(report.audit), report.fix !== undefined));
  return `${lines.join('\n')}\n`;
}
