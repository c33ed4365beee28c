// What the editor's keystroke analysis builds from the previous text instead of scanning the new
// one: the common prefix and suffix of two texts, and the line index after an edit. Random texts
// of line breaks of every kind (\n, \r\n, lone \r) and random edits, among them edits that split
// or join a \r\n pair; each result must equal the one computed from scratch.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { commonPrefix, commonSuffix } from '../../server/src/core/incremental/analyze';
import { LineIndex } from '../../server/src/core/text';

const piece = fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', 'x'.repeat(300), 'é', '😀');
const textArb = fc.array(piece, { maxLength: 60 }).map((xs) => xs.join(''));

function naivePrefix(a: string, b: string): number {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  return p;
}

function naiveSuffix(a: string, b: string, prefix: number): number {
  let s = 0;
  while (s < Math.min(a.length, b.length) - prefix && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return s;
}

function positions(index: LineIndex, length: number): string {
  const out: string[] = [`lines ${index.lineCount}`];
  for (let o = 0; o <= length; o++) out.push(JSON.stringify(index.positionAt(o)));
  for (let line = 0; line < index.lineCount; line++) out.push(`${index.offsetAt({ line, character: 0 })}..${index.offsetAt({ line, character: 1e9 })}`);
  return out.join(' ');
}

suite('text after an edit', () => {
  test('common prefix and suffix are those a character-by-character comparison finds', () => {
    fc.assert(
      fc.property(textArb, textArb, textArb, textArb, (head, a, b, tail) => {
        const x = head + a + tail;
        const y = head + b + tail;
        const p = commonPrefix(x, y);
        assert.equal(p, naivePrefix(x, y));
        assert.equal(commonSuffix(x, y, p), naiveSuffix(x, y, p));
      }),
      { numRuns: 500, seed: 17 },
    );
  });

  test('the line index after an edit maps every offset and line as one built from scratch', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), fc.nat(), textArb, (before, at, removed, inserted) => {
        const start = at % (before.length + 1);
        const end = Math.min(before.length, start + (removed % 8));
        const after = before.slice(0, start) + inserted + before.slice(end);
        const p = commonPrefix(before, after);
        const s = commonSuffix(before, after, p);
        const edited = LineIndex.afterEdit(new LineIndex(before), after, p, s);
        assert.equal(positions(edited, after.length), positions(new LineIndex(after), after.length));
      }),
      { numRuns: 1000, seed: 17 },
    );
  });
});
