// The incremental path in-process: after any sequence of ranged edits, the tree the document
// store keeps (tree.edit + incremental reparse) must equal a parse of the final text from
// scratch, node for node, positions included. Runs against the real grammars.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadLanguage, parseSync, type SyntaxNode, type Tree } from '../../server/src/core/parser';
import type { LanguageId } from '../../server/src/core/types';
import { DocumentStore } from '../../server/src/lsp/documents';
import { advance, pointAt } from '../../server/src/lsp/treeEdit';

const RUBY = [
  'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n',
  '# 🔐 鍵\nif Rails.env.production?\n  Foo.key = ENV.fetch("KEY")\nelse\n  Foo.key = nil\nend\n',
  'x = "日本語 🎉"\r\ny = { a: 1 }\r\n',
];
const TS = [
  'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n',
  '// 設定 🚀\nconst a = { b: `${c}` };\r\nfunction f(x: number): string { return String(x); }\n',
];
const INSERTS = ['', 'a', '\n', '\r\n', '\r', '🔐', '鍵の', 'nil', '"0" * 64', '? :', 'end\n', '{', '})', '  ', 'x = 1\n# 😀 comment\n', '\uD83D'];

interface Step {
  /** Fractions of the text length, so the same step applies to any text. */
  a: number;
  b: number;
  insert: string;
}

const step = fc.record({ a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }), insert: fc.constantFrom(...INSERTS) });

function changeFor(text: string, s: Step): TextDocumentContentChangeEvent {
  const doc = TextDocument.create('x:', '', 0, text);
  const a = Math.floor(s.a * text.length);
  const b = Math.floor(s.b * text.length);
  // Reversed ranges are legal input; the store must normalise them like TextDocument does.
  return { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: s.insert };
}

function assertSameTree(actual: SyntaxNode, expected: SyntaxNode, path = 'root'): void {
  assert.equal(actual.type, expected.type, `${path}: type`);
  assert.equal(actual.startIndex, expected.startIndex, `${path}: startIndex`);
  assert.equal(actual.endIndex, expected.endIndex, `${path}: endIndex`);
  assert.deepEqual(actual.startPosition, expected.startPosition, `${path}: startPosition`);
  assert.deepEqual(actual.endPosition, expected.endPosition, `${path}: endPosition`);
  assert.equal(actual.childCount, expected.childCount, `${path}: childCount`);
  for (let i = 0; i < actual.childCount; i++) {
    const a = actual.child(i);
    const e = expected.child(i);
    assert.ok(a && e, `${path}: child ${i}`);
    assertSameTree(a, e, `${path}/${i}:${e.type}`);
  }
}

suite('lsp document store: incremental reparse', () => {
  suiteSetup(async () => {
    await loadLanguage('ruby');
    await loadLanguage('typescript');
  });

  test('pointAt/advance count rows by \\n only and columns in UTF-16 units', () => {
    assert.deepEqual(pointAt('a🔐\nb', 3), { row: 0, column: 3 });
    assert.deepEqual(pointAt('a\r\nb', 3), { row: 1, column: 0 });
    assert.deepEqual(pointAt('a\rb', 2), { row: 0, column: 2 });
    assert.deepEqual(advance({ row: 2, column: 4 }, '鍵🔐'), { row: 2, column: 7 });
    assert.deepEqual(advance({ row: 2, column: 4 }, 'x\r\nab'), { row: 3, column: 2 });
  });

  for (const [lang, ext, samples] of [['ruby', 'rb', RUBY], ['typescript', 'ts', TS]] as const) {
    test(`${lang}: edited tree equals a fresh parse after random edits`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...samples), fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (initial, batches) => {
          const store = new DocumentStore();
          const uri = `file:///w/a.${ext}`;
          const doc = store.open(uri, `/w/a.${ext}`, false, lang, 1, initial);
          store.treeOf(doc);
          let text = initial;
          let version = 1;
          try {
            for (const batch of batches) {
              // Each change in a notification applies to the text the previous one produced.
              const changes: TextDocumentContentChangeEvent[] = [];
              for (const s of batch) {
                const change = changeFor(text, s);
                changes.push(change);
                const mirror = TextDocument.create('x:', '', 0, text);
                TextDocument.update(mirror, [change], 1);
                text = mirror.getText();
              }
              store.change(uri, ++version, changes);
              assert.equal(doc.text.getText(), text);
              assert.equal(doc.text.version, version);
            }
            const incremental = store.treeOf(doc);
            assert.ok(incremental, 'the store keeps a tree');
            const fresh = parseSync(lang as LanguageId, text) as Tree;
            try {
              assertSameTree(incremental.rootNode, fresh.rootNode);
            } finally {
              fresh.delete();
            }
          } finally {
            store.dispose();
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  test('a full-text change replaces the tree; a range past the end is clamped', () => {
    const store = new DocumentStore();
    const doc = store.open('file:///w/a.rb', '/w/a.rb', false, 'ruby', 1, 'a = 1\n');
    store.treeOf(doc);
    store.change(doc.uri, 2, [{ text: 'b = 2\n' }]);
    const afterFullChange = doc.tree;
    assert.equal(afterFullChange, undefined, 'reparsed from scratch on the next analysis');
    assert.equal(store.treeOf(doc)?.rootNode.text, 'b = 2\n');
    store.change(doc.uri, 3, [{ range: { start: { line: 99, character: 0 }, end: { line: 120, character: 5 } }, text: 'c = 3\n' }]);
    assert.equal(doc.text.getText(), 'b = 2\nc = 3\n');
    assert.deepEqual(doc.text.positionAt(doc.text.getText().length), { line: 2, character: 0 });
    assert.equal(store.treeOf(doc)?.rootNode.text, 'b = 2\nc = 3\n');
    store.dispose();
  });
});
