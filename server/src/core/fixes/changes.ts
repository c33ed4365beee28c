// Building a fix's file changes step by step (an initializer, then one dummy per key in test.rb).

import { applyEdits } from '../text';
import type { FileChange, Workspace } from '../types';
import { withFile } from '../workspace';

/**
 * Adds a change to a fix being built. A second change to a file the fix creates is applied to the
 * created text; a second edit of an existing file (computed, like the first, against its current
 * text) joins the first, and inserts at the same point keep their order.
 */
export function mergeFileChange(changes: FileChange[], change: FileChange): void {
  const prev = changes.find((c) => c.path === change.path);
  if (!prev) {
    changes.push(change);
  } else if (prev.kind === 'create' && change.kind === 'edit') {
    prev.text = applyEdits(prev.text, change.edits);
  } else if (prev.kind === 'edit' && change.kind === 'edit') {
    for (const e of change.edits) {
      const same = prev.edits.find(
        (p) => p.range.start.line === e.range.start.line && p.range.start.character === e.range.start.character && p.range.end.line === e.range.end.line && p.range.end.character === e.range.end.character,
      );
      if (same && same.range.start.line === same.range.end.line && same.range.start.character === same.range.end.character) same.newText += e.newText;
      else prev.edits.push(e);
    }
  }
}

/** The workspace as a fix being built sees it: files it creates exist with their text. */
export function viewWithCreated(ws: Workspace, changes: readonly FileChange[]): Workspace {
  let view = ws;
  for (const c of changes) if (c.kind === 'create') view = withFile(view, c.path, c.text);
  return view;
}
