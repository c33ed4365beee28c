// Diagnostics over real JSON-RPC: what the user sees in the Problems panel as they type.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { LspServer, makeWorkspace, rangeOf, removeWorkspace, type TestDocument } from './client';
import { CONFIG_TS, CONFIG_TS_PATH, LOCKBOX, LOCKBOX_PATH, RAILS_APP, RULE_ID, TEST_RB_PATH } from './fixtures';

const ERROR = 1;
const WARNING = 2;

function only(diagnostics: Diagnostic[]): Diagnostic {
  assert.equal(diagnostics.length, 1, `expected one diagnostic, got ${JSON.stringify(diagnostics, null, 2)}`);
  return diagnostics[0] as Diagnostic;
}

suite('lsp: diagnostics', () => {
  let root: string;
  let server: LspServer;

  setup(async () => {
    root = makeWorkspace(RAILS_APP);
    server = LspServer.start('stdio');
    await server.initialize(root);
  });

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  async function openLockbox(text = LOCKBOX, rel = LOCKBOX_PATH): Promise<{ doc: TestDocument; diagnostic: Diagnostic }> {
    const doc = await server.open(join(root, rel), 'ruby', text);
    return { doc, diagnostic: only(await server.waitForDiagnostics(doc.uri, doc.version)) };
  }

  test('a Rails initializer that forks the Lockbox key to nil gets an error', async () => {
    const { doc, diagnostic } = await openLockbox();
    assert.equal(diagnostic.code, RULE_ID);
    assert.equal(diagnostic.severity, ERROR);
    assert.equal(diagnostic.source, 'initaudit');
    assert.match(diagnostic.codeDescription?.href ?? '', /docs\/rules\/env-forked-nil-secret\.md$/);
    assert.equal(diagnostic.range.start.line, 0);
    assert.equal(diagnostic.range.end.line, 0);
    assert.deepEqual(Object.keys(diagnostic.data as object).sort(), ['id', 'ruleId']);
    // The published version is the one the diagnostic was computed for.
    const published = server.diagnostics.find((p) => p.uri === doc.uri);
    assert.equal(published?.version, 1);
    for (const related of diagnostic.relatedInformation ?? []) assert.equal(related.location.uri, doc.uri);
  });

  test('warmed up (as the VS Code client asks), documents opened during and after the warm-up get exactly their findings', async () => {
    await server.dispose();
    server = LspServer.start('stdio');
    await server.initialize(root, undefined, { warmUp: true });
    // During: the warm-up's own in-memory app (its Gemfile names lockbox) must not leak into this one.
    const during = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    assert.deepEqual((await server.waitForDiagnostics(during.uri, during.version)).map((d) => d.code), [RULE_ID]);
    await server.waitFor(() => (server.logText().includes('first diagnostics (lockbox.rb)') ? true : undefined), 'the timing of the first diagnostics');
    assert.match(server.logText(), /first diagnostics \(lockbox\.rb\) \d+ ms after the server started: (grammar \d+ ms, )?settings \d+ ms, analysis \d+ ms/);
    const config = await server.open(join(root, CONFIG_TS_PATH), 'typescript', CONFIG_TS);
    assert.deepEqual((await server.waitForDiagnostics(config.uri, config.version)).map((d) => d.code), [RULE_ID]);
    assert.doesNotMatch(server.logText(), /error|failed|__initaudit_warm_up__/i);
  });

  test('incremental edits: fixing the value clears the error, reintroducing nil brings it back', async () => {
    const { doc, diagnostic: original } = await openLockbox();

    let version = await server.change(doc, [{ range: rangeOf(doc.text, 'nil'), text: '"0" * 64' }]);
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, version), []);

    version = await server.change(doc, [{ range: rangeOf(doc.text, '"0" * 64'), text: 'nil' }]);
    const back = only(await server.waitForDiagnostics(doc.uri, version));
    assert.deepEqual(back.range, original.range);
    assert.deepEqual(back.data, original.data);
  });

  test('edits with emoji and CJK text move the diagnostic by exact lines and UTF-16 columns', async () => {
    const { doc, diagnostic: original } = await openLockbox();

    // A comment line above: same columns, one line down.
    let version = await server.change(doc, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# 🔐 鍵の設定 — 秘密 🗝️\n' }]);
    const moved = only(await server.waitForDiagnostics(doc.uri, version));
    assert.deepEqual(moved.range, {
      start: { line: original.range.start.line + 1, character: original.range.start.character },
      end: { line: original.range.end.line + 1, character: original.range.end.character },
    });

    // A statement before it on its own line: columns shift by the prefix's UTF-16 length (🔐 is two units).
    const prefix = 'note = "🔐鍵"; ';
    version = await server.change(doc, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: prefix }]);
    const shifted = only(await server.waitForDiagnostics(doc.uri, version));
    assert.deepEqual(shifted.range, {
      start: { line: 1, character: original.range.start.character + prefix.length },
      end: { line: 1, character: original.range.end.character + prefix.length },
    });

    // Several changes in one notification, each relative to the previous one's result,
    // including a CRLF line and a deletion that spans a line break.
    version = await server.change(doc, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# 一\r\n# 二 😀\n' },
      { range: { start: { line: 1, character: 2 }, end: { line: 2, character: 0 } }, text: '' },
    ]);
    const batched = only(await server.waitForDiagnostics(doc.uri, version));

    // The incrementally maintained tree must agree with a from-scratch parse of the same text.
    const copy = await server.open(join(root, 'config/initializers/lockbox_copy.rb'), 'ruby', doc.text);
    const fresh = only(await server.waitForDiagnostics(copy.uri, copy.version));
    assert.deepEqual(batched.range, fresh.range);
    assert.equal(batched.message, fresh.message);
    assert.equal(batched.range.start.line, 2);
  });

  test('rapid typing: versions published never go backwards and the last one is current', async () => {
    const { doc } = await openLockbox();
    const mark = server.diagnostics.length;
    // Type "# note" above the code one character at a time, without waiting for the server.
    for (const ch of '# note 🔐\n') {
      const end = doc.text.indexOf('Lockbox');
      const at = { line: 0, character: end };
      await server.change(doc, [{ range: { start: at, end: at }, text: ch }]);
    }
    const last = only(await server.waitForDiagnostics(doc.uri, doc.version, mark));
    assert.equal(last.range.start.line, 1);
    const versions = server.diagnostics.slice(mark).filter((p) => p.uri === doc.uri).map((p) => p.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published out of order: ${versions.join(',')}`);
  });

  test('a change on disk to a file the finding depends on re-publishes the open initializer', async () => {
    const guarded = 'if Rails.env.production?\n  Lockbox.master_key = Chamber.dig(:lockbox, :master_key)\nend\n';
    const { doc } = await openLockbox(guarded);
    const mark = server.diagnostics.length;
    // test.rb now sets the key, so the test environment no longer runs without one.
    mkdirSync(join(root, 'config/environments'), { recursive: true });
    writeFileSync(join(root, TEST_RB_PATH), 'Rails.application.configure do\nend\nLockbox.master_key = "0" * 64\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, TEST_RB_PATH)).href, type: 1 }] });
    const next = await server.nextDiagnostics(doc.uri, mark);
    assert.equal(next.version, doc.version);
    assert.deepEqual(next.diagnostics, []);
  });

  test('an unsaved buffer of another file counts, not its text on disk', async () => {
    const guarded = 'if Rails.env.production?\n  Lockbox.master_key = Chamber.dig(:lockbox, :master_key)\nend\n';
    const { doc } = await openLockbox(guarded);
    let mark = server.diagnostics.length;
    const testRb = await server.open(join(root, TEST_RB_PATH), 'ruby', 'Lockbox.master_key = "0" * 64\n');
    assert.deepEqual((await server.nextDiagnostics(doc.uri, mark)).diagnostics, []);

    mark = server.diagnostics.length;
    await server.change(testRb, [{ range: rangeOf(testRb.text, 'Lockbox.master_key = "0" * 64'), text: '# removed' }]);
    assert.equal((await server.nextDiagnostics(doc.uri, mark)).diagnostics.length, 1);

    mark = server.diagnostics.length;
    await server.change(testRb, [{ range: rangeOf(testRb.text, '# removed'), text: 'Lockbox.master_key = "0" * 64' }]);
    assert.deepEqual((await server.nextDiagnostics(doc.uri, mark)).diagnostics, []);

    // Closing the buffer falls back to the disk, where test.rb does not exist.
    assert.ok(!existsSync(join(root, TEST_RB_PATH)));
    mark = server.diagnostics.length;
    await server.close(testRb);
    assert.equal((await server.nextDiagnostics(doc.uri, mark)).diagnostics.length, 1);
  });

  test('closing the document clears its diagnostics', async () => {
    const { doc } = await openLockbox();
    const mark = server.diagnostics.length;
    await server.close(doc);
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, null, mark), []);
  });

  test('TypeScript config that forks a secret to undefined on NODE_ENV gets a warning', async () => {
    const doc = await server.open(join(root, CONFIG_TS_PATH), 'typescript', CONFIG_TS);
    const diagnostic = only(await server.waitForDiagnostics(doc.uri, doc.version));
    assert.equal(diagnostic.code, RULE_ID);
    assert.equal(diagnostic.severity, WARNING);
    assert.equal(diagnostic.source, 'initaudit');
    assert.equal(diagnostic.range.start.line, 0);
  });

  test('untitled buffers are analysed, but get no fix that would touch other files', async () => {
    const doc = await server.open(join(root, 'unused'), 'ruby', LOCKBOX, 'untitled:Untitled-1');
    const diagnostic = only(await server.waitForDiagnostics(doc.uri, doc.version));
    assert.equal(diagnostic.code, RULE_ID);
    for (const related of diagnostic.relatedInformation ?? []) assert.equal(related.location.uri, doc.uri);
    // The Ruby fix creates config/environments/test.rb: meaningless for a buffer with no folder.
    // Only the buffer's own "Disable ..." edits and the docs command remain.
    const actions = (await server.codeActions(doc, diagnostic.range, [diagnostic])) ?? [];
    assert.deepEqual(actions.map((a) => a.title.split(' ')[0]), ['Disable', 'Disable', 'Show']);
    for (const a of actions) for (const c of a.edit?.documentChanges ?? []) assert.equal('textDocument' in c ? c.textDocument.uri : '', doc.uri);
  });

  test('files of other languages get an empty diagnostic list, not an error', async () => {
    const doc = await server.open(join(root, 'README.md'), 'markdown', 'Rails.env.test? ? nil : 1');
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, doc.version), []);
    assert.equal(pathToFileURL(join(root, 'README.md')).href, doc.uri);
  });
});
