// Text utilities over UTF-16 offsets (JavaScript string indices), the unit web-tree-sitter
// and LSP share. Line breaks are \n, \r\n or \r, as in LSP.

import type { Position, Range, TextEdit } from './types';

/** Start offset of every line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Maps between offsets and positions for one text; build once per text. */
export class LineIndex {
  private readonly starts: number[];
  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    this.starts = starts ?? lineStarts(text);
  }

  /**
   * The index of `text`, which begins with the first `prefix` characters of `old.text` and ends
   * with its last `suffix` (not overlapping): only the lines between are scanned again, the
   * others are copied or shifted (the editor's keystroke analysis of a large file).
   */
  static afterEdit(old: LineIndex, text: string, prefix: number, suffix: number): LineIndex {
    const before = old.starts;
    const starts = [0];
    // A line starts at x after "\n", or after "\r" not followed by "\n": it depends on x - 1 and x only.
    let i = 1;
    for (; i < before.length && before[i]! <= prefix - 1; i++) starts.push(before[i]!);
    const to = text.length - suffix;
    for (let x = Math.max(1, prefix); x <= to; x++) {
      const c = text.charCodeAt(x - 1);
      if (c === 10 || (c === 13 && text.charCodeAt(x) !== 10)) starts.push(x);
    }
    const delta = text.length - old.text.length;
    const from = old.text.length - suffix + 1;
    let lo = i;
    let hi = before.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < before.length; j++) starts.push(before[j]! + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] ?? 0) };
  }

  /** Offset of a position, clamped into the text and into the line (before its line break). */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line] ?? 0;
    const next = this.starts[pos.line + 1];
    let end = next ?? this.text.length;
    if (next !== undefined) {
      end--;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    }
    return Math.min(start + Math.max(0, pos.character), end);
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = this.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
    return this.text.slice(start, end);
  }
}

/** The file's dominant line ending, so inserted lines match it. */
export function detectEol(text: string): '\n' | '\r\n' | '\r' {
  // Asked once per fix, and a file may have thousands: count each text once.
  if (lastEol?.text !== text) {
    const crlf = text.split('\r\n').length - 1;
    const lf = text.split('\n').length - 1 - crlf;
    // Lone CRs (old Mac files): JavaScript breaks lines there too; Ruby does not, which the fix guard handles.
    const cr = text.split('\r').length - 1 - crlf;
    lastEol = { text, eol: cr > lf && cr > crlf ? '\r' : crlf > lf ? '\r\n' : '\n' };
  }
  return lastEol.eol;
}

let lastEol: { text: string; eol: '\n' | '\r\n' | '\r' } | undefined;

/** Leading spaces/tabs of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Applies non-overlapping edits (any order) to a text. Overlapping edits throw: a fix bug, not user input. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) throw new Error('overlapping edits');
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * Control characters shown as escapes, for every human-readable output (terminal, Markdown):
 * a file name with ESC must not recolour the terminal, one with a newline must not forge a report
 * line, and bidirectional overrides must not reorder what is shown. C0, DEL, C1, the Unicode line
 * and paragraph separators and the bidi controls; backslashes stay (Windows paths).
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A string matched literally inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
