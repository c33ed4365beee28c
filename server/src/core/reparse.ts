// Checking a fix: the file with the fix's edits applied, parsed incrementally from the current
// tree. A fix touches a line or two, so this costs a fraction of a full parse, which matters
// when the editor re-analyses a large file with many findings on every keystroke.

import { parseSync, type Tree } from './parser';
import { applyEdits, type LineIndex } from './text';
import { treeEditFor } from './tree-edit';
import type { GrammarLanguage, TextEdit } from './types';

/** The tree of `text` with `edits` applied; undefined when the parser fails. Throws on overlapping edits, as applyEdits does. */
export function reparseWithEdits(lang: GrammarLanguage, text: string, lines: LineIndex, tree: Tree, edits: readonly TextEdit[]): Tree | undefined {
  const after = applyEdits(text, edits);
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    // Last first: each edit's offsets are still those of the original text when it is applied.
    .sort((a, b) => b.start - a.start || b.end - a.end);
  // A binding that cannot copy a tree (the native one) parses the new text in full; the shared
  // tree must not be edited, other rules still read it.
  const edited = tree.copy?.();
  if (!edited) return parseSync(lang, after);
  try {
    let current = text;
    for (const s of spans) {
      edited.edit(treeEditFor(current, s.start, s.end, s.text));
      current = current.slice(0, s.start) + s.text + current.slice(s.end);
    }
    return parseSync(lang, after, edited);
  } finally {
    edited.delete();
  }
}
