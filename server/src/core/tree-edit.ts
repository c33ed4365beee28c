// Shared by the language server (editor changes) and the engine (checking a fix by an incremental reparse).
// The tree-sitter edit for one text change. Offsets are UTF-16 code units (JS string indices),
// which is what both tree-sitter bindings use for indices and columns when they parse a JS string.
// Rows follow tree-sitter, not LSP: only "\n" starts a row (a lone "\r" is an LSP line break
// but not a tree-sitter one), so points are computed from the text rather than taken from
// TextDocument.positionAt.

import type { Point, TreeEdit } from './parser-port';

/** The tree-sitter point of a UTF-16 offset in `text`. */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  return { row, column: offset - lineStart };
}

/** Where a point ends up after `inserted` is written at it. */
export function advance(start: Point, inserted: string): Point {
  const lastNl = inserted.lastIndexOf('\n');
  if (lastNl < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let nl = inserted.indexOf('\n'); nl >= 0; nl = inserted.indexOf('\n', nl + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNl - 1 };
}

/**
 * The edit replacing `oldText[start, end)` with `inserted`; `start`/`end` must already be
 * clamped into the text, as TextDocument.update clamps them.
 */
export function treeEditFor(oldText: string, start: number, end: number, inserted: string): TreeEdit {
  const startPosition = pointAt(oldText, start);
  // Count rows from the start point instead of rescanning the text before it.
  const oldEndPosition = advance(startPosition, oldText.slice(start, end));
  return {
    startIndex: start,
    oldEndIndex: end,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition,
    newEndPosition: advance(startPosition, inserted),
  };
}
