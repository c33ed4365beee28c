// "Pin <gem> to ~> x.y": adds `gem "<gem>", "~> x.y"` to the Gemfile, outside any group, after the
// last top-level gem line, with a one-line comment saying why and when to remove it. The lockfile
// is left alone: Bundler re-resolves it (`bundle lock --update <gem>`), initaudit never runs it.

import { parseSync } from '../parser';
import { detectEol, indentOf, LineIndex } from '../text';
import type { Fix, TextEdit } from '../types';
import type { GemfileModel } from '../lockfiles/gemfile-groups';

export interface PinRequest {
  gemfilePath: string;
  gemfileText: string;
  gemfile: GemfileModel;
  gem: string;
  /** `~> 2.5` */
  requirement: string;
  /** Why, and when to remove the pin: one line, no `#`. */
  comment: string;
}

export function pinGemFix(req: PinRequest): Fix | undefined {
  const edit = pinEdit(req);
  if (!edit) return undefined;
  const lines = new LineIndex(req.gemfileText);
  const start = lines.offsetAt(edit.range.start);
  const after = req.gemfileText.slice(0, start) + edit.newText + req.gemfileText.slice(lines.offsetAt(edit.range.end));
  if (!parsesAsWell(req.gemfileText, after)) return undefined;
  return {
    title: `Pin ${req.gem} to ${req.requirement}`,
    isPreferred: true,
    changes: [{ kind: 'edit', path: req.gemfilePath, edits: [edit] }],
    note: `Run bundle lock --update ${req.gem} to re-resolve only ${req.gem} within the pin; initaudit never runs Bundler.`,
  };
}

function pinEdit(req: PinRequest): TextEdit | undefined {
  const { gemfile, gemfileText: text } = req;
  const lines = new LineIndex(text);
  const eol = detectEol(text);
  const q = gemfile.quote;
  const comment = `# ${req.comment}`;
  const existing = gemfile.gems.get(req.gem);
  if (existing) {
    // Already declared: add the requirement to a bare top-level line; anything else is the user's to decide
    // (Bundler rejects the same gem declared twice with different requirements).
    const bare = existing.length === 1 && existing[0]!.topLevel && !existing[0]!.hasOtherArguments ? existing[0]! : undefined;
    if (!bare) return undefined;
    const line = lines.positionAt(bare.startIndex).line;
    const indent = indentOf(lines.lineText(line));
    const at = lines.positionAt(bare.nameEndIndex);
    // One edit from the line start to the end of the name: the comment goes above, the requirement after the name.
    const lineStart = { line, character: 0 };
    const head = text.slice(lines.offsetAt(lineStart), bare.nameEndIndex);
    return { range: { start: lineStart, end: at }, newText: `${indent}${comment}${eol}${head}, ${bare.quote}${req.requirement}${bare.quote}` };
  }
  const last = gemfile.lastTopLevel;
  const gemLine = (indent: string): string => `${indent}${comment}${eol}${indent}gem ${q}${req.gem}${q}, ${q}${req.requirement}${q}`;
  if (last) {
    const line = lines.positionAt(last.endIndex).line;
    const end = { line, character: lines.lineText(line).length };
    return { range: { start: end, end }, newText: `${eol}${gemLine(indentOf(lines.lineText(lines.positionAt(last.startIndex).line)))}` };
  }
  const end = lines.positionAt(text.length);
  const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
  return { range: { start: end, end }, newText: `${needsBreak ? eol : ''}${gemLine('')}${eol}` };
}

/** The Gemfile must not gain syntax errors; without the Ruby grammar nothing can be checked, so no fix. */
function parsesAsWell(before: string, after: string): boolean {
  const a = parseSync('ruby', before);
  const b = parseSync('ruby', after);
  try {
    return !!a && !!b && (!b.rootNode.hasError || a.rootNode.hasError);
  } finally {
    a?.delete();
    b?.delete();
  }
}
