// Hover on a finding: the rule's explanation and a link to its documentation, under the
// diagnostic's own message that VS Code already shows.

import type { Hover, Position } from 'vscode-languageserver';
import { ruleById } from '../core/rules';
import type { Finding, Range } from '../core/types';

export function hoverFor(findings: readonly Finding[], position: Position): Hover | null {
  const here = findings.filter((f) => contains(f.range, position));
  const ruleIds = [...new Set(here.map((f) => f.ruleId))];
  const sections = ruleIds.flatMap((id) => {
    const meta = ruleById(id)?.meta;
    return meta ? [`**Initaudit: ${meta.title}** (\`${id}\`)\n\n${meta.description}\n\n[Documentation for ${id}](${meta.docsUrl})`] : [];
  });
  const first = here[0];
  if (!first || sections.length === 0) return null;
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, range: first.range };
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
