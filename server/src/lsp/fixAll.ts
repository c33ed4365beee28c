// `source.fixAll.initaudit`: every preferred fix of a document, applied one at a time with a
// re-analysis after each (core/fix.ts `fixFileInMemory`, as `--fix` does), so fixes sharing a
// file (config/environments/test.rb) never collide. The result goes out as one edit per file,
// each the smallest replacement between the old and the new text, so the cursor stays put.

import type { CodeAction } from 'vscode-languageserver';
import { fixFileInMemory } from '../core/fix';
import type { Policy } from '../core/policy';
import { LineIndex } from '../core/text';
import type { FileChange, TextEdit } from '../core/types';
import type { FileSystemWorkspace } from '../core/workspace';
import { FIX_ALL_KIND, workspaceEditFor, type FixTarget } from './codeActions';
import type { ClientFeatures } from './protocol';

/**
 * The fix-all action for a document, or undefined when there is nothing to fix. `workspace` must
 * have an empty overlay (a fresh editor view): fixes accumulate in it, and `original` reads the
 * texts as they were.
 */
export async function fixAllAction(
  path: string,
  workspace: FileSystemWorkspace,
  original: (path: string) => string | undefined,
  policy: Policy | undefined,
  target: FixTarget,
  features: ClientFeatures,
): Promise<CodeAction | undefined> {
  const result = await fixFileInMemory(path, workspace, policy ? { policy } : {});
  if (result.applied.length === 0) return undefined;
  const changes: FileChange[] = [];
  for (const p of result.changed) {
    const after = workspace.overlay.get(p);
    if (after === undefined) continue;
    const old = original(p);
    if (old === undefined) changes.push({ kind: 'create', path: p, text: after });
    else if (old !== after) changes.push({ kind: 'edit', path: p, edits: [smallestEdit(old, after)] });
  }
  const edit = workspaceEditFor({ title: 'Fix all', isPreferred: false, changes }, target, features);
  if (!edit) return undefined;
  return { title: 'Fix all initaudit problems', kind: FIX_ALL_KIND, edit };
}

/** One edit replacing what differs between two texts (common prefix and suffix kept), never splitting a CRLF or a surrogate pair. */
export function smallestEdit(before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  const splits = (text: string, at: number): boolean => {
    const prev = text.charCodeAt(at - 1);
    const next = text.charCodeAt(at);
    return (prev === 13 && next === 10) || (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff);
  };
  while (start > 0 && (splits(before, start) || splits(after, start))) start--;
  while (end > 0 && (splits(before, before.length - end) || splits(after, after.length - end))) end--;
  const lines = new LineIndex(before);
  return {
    range: { start: lines.positionAt(start), end: lines.positionAt(before.length - end) },
    newText: after.slice(start, after.length - end),
  };
}
