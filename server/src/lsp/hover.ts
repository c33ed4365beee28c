// Hover on a finding: under the diagnostic's own one-line message, which VS Code already shows,
// the finding's details (the lookup chain, what happens at the resolved versions, the sources)
// and a link to the rule's documentation.

import type { Hover, Position } from 'vscode-languageserver';
import { ruleById } from '../core/rules';
import type { Finding, Range } from '../core/types';

export function hoverFor(findings: readonly Finding[], position: Position): Hover | null {
  const here = findings.filter((f) => contains(f.range, position));
  const sections: string[] = [];
  const explained = new Set<string>();
  for (const f of here) {
    const meta = ruleById(f.ruleId)?.meta;
    if (!meta) continue;
    // Each finding's details; a rule's general description once, when a finding has no details of its own.
    const body = f.details ?? (explained.has(f.ruleId) ? undefined : meta.description);
    explained.add(f.ruleId);
    if (body === undefined) continue;
    sections.push(`**Initaudit: ${meta.title}** (\`${f.ruleId}\`)\n\n${body}\n\n[Documentation for ${f.ruleId}](${meta.docsUrl})`);
  }
  const first = here[0];
  if (!first || sections.length === 0) return null;
  return { contents: { kind: 'markdown', value: [...new Set(sections)].join('\n\n---\n\n') }, range: first.range };
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
