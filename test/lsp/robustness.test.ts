// Bad input must cost at most that input: the server answers, logs, and keeps serving.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LspServer, makeWorkspace, removeWorkspace } from './client';
import { LOCKBOX, LOCKBOX_PATH, RAILS_APP, RULE_ID } from './fixtures';

const METHOD_NOT_FOUND = -32601;

suite('lsp: robustness', () => {
  let root: string;
  let server: LspServer;

  suiteSetup(async () => {
    root = makeWorkspace(RAILS_APP);
    server = LspServer.start('stdio');
    await server.initialize(root);
  });

  suiteTeardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  /** The server is alive and a fresh, normal initializer still gets its diagnostic. */
  const stillWorks = (): Promise<void> => server.assertStillServes(root, LOCKBOX, [RULE_ID]);

  test('positions out of range in a change and in a code action request', async () => {
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    await server.waitForDiagnostics(doc.uri, doc.version);
    const far = { start: { line: 10_000, character: 5 }, end: { line: 10_001, character: 99 } };
    const version = await server.change(doc, [{ range: far, text: '# appended\n' }]);
    const diagnostics = await server.waitForDiagnostics(doc.uri, version);
    assert.equal(diagnostics.length, 1);
    const bogus = { range: far, message: 'x', code: RULE_ID, source: 'initaudit', data: { ruleId: RULE_ID, id: 'nope' } };
    assert.deepEqual(await server.codeActions(doc, far, [bogus]), []);
    const negative = { start: { line: -1, character: -1 }, end: { line: 0, character: 0 } };
    assert.deepEqual(await server.codeActions(doc, negative, [{ ...bogus, range: negative, data: 42 }]), []);
    await server.close(doc);
    await stillWorks();
  });

  test('a code action on a closed or never-opened document', async () => {
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    const [diagnostic] = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.ok(diagnostic);
    await server.close(doc);
    assert.deepEqual(await server.codeActions(doc, diagnostic.range, [diagnostic]), []);
    const stranger = { ...doc, uri: `${doc.uri}.never-opened.rb` };
    assert.deepEqual(await server.codeActions(stranger, diagnostic.range, [diagnostic]), []);
    // Changes and closes for unknown documents are ignored.
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: stranger.uri, version: 9 }, contentChanges: [{ text: 'x' }] });
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: stranger.uri } });
    await stillWorks();
  });

  test('an unknown request gets MethodNotFound', async () => {
    await assert.rejects(server.connection.sendRequest('initaudit/noSuchMethod', { x: 1 }), (e: unknown) => {
      assert.ok(e instanceof ResponseError);
      assert.equal(e.code, METHOD_NOT_FOUND);
      return true;
    });
    await server.connection.sendNotification('initaudit/noSuchNotification', {});
    await stillWorks();
  });

  test('binary-ish and malformed files', async () => {
    // Deterministic noise: control characters, NULs, lone surrogates, invalid syntax, around a trigger.
    let seed = 7;
    const noise = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += String.fromCharCode(seed % 0xffff);
      }
      return s;
    };
    const binary = `${noise(50_000)}\nRails.env.test? ? nil : \0\0${noise(50_000)}\n${LOCKBOX}\uD800 end end ))) {{{ ${noise(20_000)}`;
    const doc = await server.open(join(root, 'config/initializers/binary.rb'), 'ruby', binary);
    await server.waitForDiagnostics(doc.uri, doc.version);
    // Edit it incrementally too, in the middle of the noise.
    const version = await server.change(doc, [{ range: { start: { line: 0, character: 100 }, end: { line: 0, character: 40_000 } }, text: '\uDC00\0nil' }]);
    await server.waitForDiagnostics(doc.uri, version);
    await server.close(doc);

    const unterminated = await server.open(join(root, 'config/initializers/broken.rb'), 'ruby', `Lockbox.master_key = Rails.env.test? ? nil : "${'\\'.repeat(3)}\ndef (((\n`);
    await server.waitForDiagnostics(unterminated.uri, unterminated.version);
    await server.close(unterminated);
    await stillWorks();
  });

  test('a huge file is skipped with a logged reason, not parsed on every keystroke', async () => {
    const huge = `${LOCKBOX}${'# padding padding padding padding padding padding\n'.repeat(60_000)}`;
    const doc = await server.open(join(root, 'config/initializers/huge.rb'), 'ruby', huge);
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, doc.version), []);
    await server.waitFor(() => server.logs.find((l) => l.message.includes('huge.rb') && l.message.includes('not analysed')), 'a log naming the skipped file');
    await server.close(doc);
    await stillWorks();
  });

  test('a file: URI that is not a local path', async () => {
    const doc = await server.open(join(root, 'ignored'), 'ruby', LOCKBOX, 'file://remote-host/share/config/initializers/lockbox.rb');
    await server.waitForDiagnostics(doc.uri, doc.version);
    await server.close(doc);
    await stillWorks();
  });
});
