// The last check before a fix is offered, for every fix any rule builds:
// - it may only touch files a fix may write (inside the root, not through a symbolic link out of
//   it, regular files);
// - in Ruby it must not insert or span line breaks in a file with lone-CR line endings (LSP and
//   LineIndex break lines at a lone CR, Ruby does not: the inserted line would join the previous
//   one), nor create such a file;
// - in Ruby no edit may land after `__END__`, where Ruby never runs it.

import { languageOf } from '../parser';
import { LineIndex } from '../text';
import type { FileChange, Fix, Workspace } from '../types';

/** The fixes whose every change is safe to apply. */
export function offerableFixes(fixes: readonly Fix[], workspace: Workspace): Fix[] {
  if (fixes.length === 0) return [];
  return fixes.filter((fix) => fix.changes.every((c) => workspace.writable?.(c.path) !== false && safeInRuby(c, workspace)));
}

function safeInRuby(change: FileChange, workspace: Workspace): boolean {
  if (languageOf(change.path) !== 'ruby') return true;
  if (change.kind === 'create') return !hasLoneCr(change.text);
  const text = workspace.readFile(change.path);
  if (text === undefined) return true;
  const facts = rubyFacts(text);
  for (const e of change.edits) {
    const multiLine = e.range.start.line !== e.range.end.line || /[\r\n]/.test(e.newText);
    if (facts.loneCr && multiLine) return false;
    if (facts.dataStart !== undefined && facts.lines.offsetAt(e.range.end) > facts.dataStart) return false;
  }
  return true;
}

function hasLoneCr(text: string): boolean {
  return /\r(?!\n)/.test(text);
}

/** Memoised per text: a file with thousands of findings asks once per fix. */
let last: { text: string; loneCr: boolean; dataStart: number | undefined; lines: LineIndex } | undefined;

function rubyFacts(text: string): NonNullable<typeof last> {
  if (last?.text !== text) {
    // `__END__` alone on a line ends the program; the edit may end at its line start, not past it.
    const m = /(?:^|\n)__END__(?:\r?\n|$)/.exec(text);
    const dataStart = m ? m.index + (m[0].startsWith('\n') ? 1 : 0) : undefined;
    last = { text, loneCr: hasLoneCr(text), dataStart, lines: new LineIndex(text) };
  }
  return last;
}

/** Where appended Ruby lines go: before a `__END__` line (its data is never run), else the end. */
export function rubyCodeEnd(text: string): number {
  return rubyFacts(text).dataStart ?? text.length;
}
