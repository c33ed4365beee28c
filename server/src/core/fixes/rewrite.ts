// Text surgery shared by the Ruby and TypeScript "explicit env key" fixes.
//
// A fix is a few small edits, never a rewritten block: unwrapping a guard deletes the guard's own
// syntax (`if cond`/`then`/`{`, `end`/`}`, and the nil branch it replaces), removes the one
// indentation level the guard added from each kept line, and inserts the env read before each
// rewritten value. Every other byte of the block stays: comments (inline, leading, trailing,
// `=begin`/`=end`, `/* */`), blank lines, and the bodies of strings, heredocs and template
// literals, which are never re-indented (a `<<~` heredoc keeps its indentation as written, so its
// relative indentation, and its value, is unchanged).

import type { ForkedSetting } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import type { SecretProfile } from '../secrets/profiles';
import type { LineIndex } from '../text';
import type { TextEdit, Workspace } from '../types';

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

/** An edit in offsets of the original text. */
export interface Span {
  start: number;
  end: number;
  text: string;
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
 * The edits that turn each value into its rewrite. A rewrite that contains the old value
 * (`ENV["X"] || <old>`, `(<old>)`) inserts around it, so the old bytes (comments and strings in a
 * multi-line call) stay where they are and can be re-indented like any other line.
 */
export function valueSpans(rewrites: readonly ValueRewrite[], text: string): Span[] {
  const out: Span[] = [];
  for (const r of rewrites) {
    const { startIndex: start, endIndex: end } = r.s.valueNode;
    const old = text.slice(start, end);
    if (r.value === old) continue;
    const at = r.value.lastIndexOf(old);
    if (at < 0) {
      out.push({ start, end, text: r.value });
      continue;
    }
    if (at > 0) out.push({ start, end: start, text: r.value.slice(0, at) });
    if (at + old.length < r.value.length) out.push({ start: end, end, text: r.value.slice(at + old.length) });
  }
  return out;
}

/** A guard to unwrap, described by where its own syntax is. */
export interface GuardShape {
  guard: SyntaxNode;
  /** Where the opening syntax ends: after `if cond`, `then`, `{`, or the `else` of a dropped nil branch. */
  openEnd: number;
  /** The closing syntax: `end`, `}`, or `else … end` when the nil branch comes last; none for a brace-less body. */
  close?: { start: number; end: number };
  /** The nil branch the fix removes, comments included; any other comment in the removed syntax means no fix. */
  dropped?: { start: number; end: number };
  /** The first kept statement: its indentation beyond the guard's is the level to remove. */
  firstStmt: SyntaxNode;
  /** Node types whose lines are never re-indented: strings, heredoc bodies, comments. */
  opaque: ReadonlySet<string>;
  /** Characters after `openEnd` that still end the header (Ruby's `;`). */
  headerEnd?: string;
}

/** Ruby nodes whose bytes span lines and must not change: strings of every kind, heredoc bodies, comments. */
export const RUBY_OPAQUE: ReadonlySet<string> = new Set([
  'string', 'heredoc_body', 'subshell', 'string_array', 'symbol_array', 'regex', 'delimited_symbol', 'character', 'comment',
]);
/** TypeScript/JavaScript nodes likewise: string literals (a `\` line continuation), template literals, comments, JSX text. */
export const TS_OPAQUE: ReadonlySet<string> = new Set(['string', 'template_string', 'regex', 'comment', 'jsx_text']);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const hasBreak = (s: string): boolean => /[\r\n]/.test(s);

/**
 * The edits that unwrap a guard: its body stays where the guard stood, one level less indented,
 * with the values rewritten. Undefined when that cannot be done without losing a byte the fix does
 * not mean to remove (a comment inside the condition, code after the closing `end`).
 */
export function unwrapSpans(shape: GuardShape, rewrites: readonly ValueRewrite[], text: string, lines: LineIndex): Span[] | undefined {
  const { guard, openEnd, close, dropped } = shape;
  const g0 = guard.startIndex;
  const lineStart = (offset: number): number => lines.offsetAt({ line: lines.positionAt(offset).line, character: 0 });
  const guardLine = lineStart(g0);
  const guardIndent = text.slice(guardLine, g0);
  if (!/^[ \t]*$/.test(guardIndent)) return undefined;

  let keptStart = openEnd;
  while (keptStart < text.length && (isSpace(text[keptStart]) || shape.headerEnd?.includes(text[keptStart]!))) keptStart++;
  let keptEnd = close ? close.start : guard.endIndex;
  while (keptEnd > keptStart && isSpace(text[keptEnd - 1])) keptEnd--;
  if (keptEnd <= keptStart) return undefined;

  const { comments, opaque } = scan(guard, keptStart, keptEnd, shape.opaque, lines);
  const removed = (from: number, to: number): boolean =>
    comments.some((c) => c.startIndex < to && c.endIndex > from && !(dropped && c.startIndex >= dropped.start && c.endIndex <= dropped.end));
  if (removed(g0, keptStart) || (close && removed(close.start, close.end))) return undefined;

  const spans: Span[] = [];
  // Lines of syntax go whole, with their own line breaks: the kept lines keep theirs (a comment's
  // node may end in the `\r` of a CRLF), and blank lines around the body stay.
  const lineOf = (offset: number): number => lines.positionAt(offset).line;
  const nextLineStart = (line: number): number | undefined => (line + 1 < lines.lineCount ? lines.offsetAt({ line: line + 1, character: 0 }) : undefined);
  const lineEnd = (line: number): number => lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
  // The header: its whole line(s) when the body starts on a later line, else up to the first kept byte.
  const headerOwnLine = hasBreak(text.slice(openEnd, keptStart));
  if (headerOwnLine) spans.push({ start: guardLine, end: nextLineStart(lineOf(openEnd)) ?? lineEnd(lineOf(openEnd)), text: '' });
  else spans.push({ start: g0, end: keptStart, text: '' });
  if (close) {
    if (hasBreak(text.slice(keptEnd, close.start))) {
      const endLine = lineOf(close.end);
      const rest = text.slice(close.end, lineEnd(endLine));
      const restStart = close.end + (rest.length - rest.trimStart().length);
      // At the end of the file the previous line keeps its line break.
      if (rest.trim() === '') spans.push({ start: lineStart(close.start), end: nextLineStart(endLine) ?? lineEnd(endLine), text: '' });
      // `end # production`: the comment keeps its own line.
      else if (comments.some((c) => c.startIndex === restStart) || isCommentAt(guard, restStart)) spans.push({ start: close.start, end: restStart, text: '' });
      else return undefined;
    } else {
      spans.push({ start: keptEnd, end: close.end, text: '' });
    }
  }

  const values = valueSpans(rewrites, text);
  const replaced = values.filter((v) => v.end > v.start);
  const stmtLine = lineStart(shape.firstStmt.startIndex);
  const stmtIndent = /^[ \t]*/.exec(text.slice(stmtLine, shape.firstStmt.startIndex))?.[0] ?? '';
  const extra = stmtLine !== guardLine && stmtIndent.startsWith(guardIndent) ? stmtIndent.slice(guardIndent.length) : '';
  if (extra) {
    const strictlyIn = (p: number, r: { start: number; end: number }): boolean => r.start < p && p < r.end;
    const first = headerOwnLine ? lineOf(openEnd) + 1 : lineOf(keptStart) + 1;
    const last = lines.positionAt(keptEnd - 1).line;
    for (let line = first; line <= last; line++) {
      const p = lines.offsetAt({ line, character: 0 });
      if (opaque.some((o) => strictlyIn(p, o)) || replaced.some((v) => strictlyIn(p, v))) continue;
      if (text.startsWith(guardIndent + extra, p)) spans.push({ start: p + guardIndent.length, end: p + guardIndent.length + extra.length, text: '' });
    }
  }
  for (const v of values) if (v.start >= keptStart && v.end <= keptEnd) spans.push(v);
  return spans.sort((a, b) => a.start - b.start || a.end - b.end);
}

function isCommentAt(guard: SyntaxNode, offset: number): boolean {
  return guard.tree.rootNode.descendantForIndex(offset, offset + 1)?.type === 'comment';
}

/** The guard's comments, and the multi-line opaque nodes inside the kept region. */
function scan(
  guard: SyntaxNode,
  from: number,
  to: number,
  opaqueTypes: ReadonlySet<string>,
  lines: LineIndex,
): { comments: SyntaxNode[]; opaque: { start: number; end: number }[] } {
  const comments: SyntaxNode[] = [];
  const opaque: { start: number; end: number }[] = [];
  const cursor = guard.walk();
  let depth = 0;
  try {
    for (;;) {
      const n = cursor.currentNode;
      if (n.type === 'comment') comments.push(n);
      const isOpaque = opaqueTypes.has(n.type);
      // Rows break only at \n; LineIndex also at a lone \r, as JavaScript does.
      if (isOpaque && n.endIndex > from && n.startIndex < to && lines.positionAt(n.startIndex).line !== lines.positionAt(n.endIndex).line) {
        opaque.push({ start: n.startIndex, end: n.endIndex });
      }
      if (!isOpaque && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (depth > 0 && !cursor.gotoNextSibling()) {
        cursor.gotoParent();
        depth--;
      }
      if (depth === 0) return { comments, opaque };
    }
  } finally {
    cursor.delete();
  }
}

/** Spans as LSP edits on the original text. */
export function toEdits(spans: readonly Span[], lines: LineIndex): TextEdit[] {
  return spans.map((s) => ({ range: { start: lines.positionAt(s.start), end: lines.positionAt(s.end) }, newText: s.text }));
}

/** The text with the spans applied (they never overlap). */
export function applySpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start || a.end - b.end)) {
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}
