// Text surgery shared by the Ruby and TypeScript "explicit env key" fixes.

import type { ForkedSetting } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import type { SecretProfile } from '../secrets/profiles';
import { indentOf, type LineIndex } from '../text';
import type { Workspace } from '../types';

/** What an "explicit env key" fix is built from, in either language. */
export interface FixInput {
  /** Settings sharing one fork: the fix rewrites all of them. */
  settings: ForkedSetting[];
  profileOf: (s: ForkedSetting) => SecretProfile;
  text: string;
  lines: LineIndex;
  path: string;
  workspace: Workspace;
}

export interface ValueRewrite {
  s: ForkedSetting;
  /** The new text of `s.valueNode`. */
  value: string;
}

/** `text[start, end)` with every rewritten value inside it replaced. */
export function spliceValues(start: number, end: number, rewrites: readonly ValueRewrite[], text: string): string {
  let out = text.slice(start, end);
  for (const r of [...rewrites].sort((a, b) => b.s.valueNode.startIndex - a.s.valueNode.startIndex)) {
    if (r.s.valueNode.startIndex < start || r.s.valueNode.endIndex > end) continue;
    out = out.slice(0, r.s.valueNode.startIndex - start) + r.value + out.slice(r.s.valueNode.endIndex - start);
  }
  return out;
}

/**
 * A guard's body as the replacement for the whole guard: lines after the first lose the one
 * indentation level the guard added, so the unwrapped code sits where the guard stood.
 */
export function unwrappedBody(body: string, lines: LineIndex, guard: SyntaxNode, firstStmt: SyntaxNode, eol: string): string {
  const guardIndent = indentOf(lines.lineText(lines.positionAt(guard.startIndex).line));
  const bodyIndent = indentOf(lines.lineText(lines.positionAt(firstStmt.startIndex).line));
  const extra = bodyIndent.startsWith(guardIndent) ? bodyIndent.slice(guardIndent.length) : '';
  return body
    .split(/\r?\n/)
    .map((l, i) => (i > 0 && extra && l.startsWith(guardIndent + extra) ? guardIndent + l.slice(guardIndent.length + extra.length) : l))
    .join(eol);
}
