// The protocol's lifecycle (issue 10, case 15): requests before `initialize` get
// ServerNotInitialized (-32002), requests after `shutdown` get InvalidRequest (-32600), even the
// workspace audit; notifications outside that window change nothing.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspServer, makeWorkspace, removeWorkspace } from '../lsp/client';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';

async function errorCode(p: Promise<unknown>): Promise<number | 'no error'> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

suite('issue 10: LSP lifecycle', () => {
  let root: string;
  let server: LspServer | undefined;
  setup(() => {
    root = makeWorkspace({ Gemfile: 'gem "lockbox"\n', 'config/initializers/lockbox.rb': LOCKBOX });
  });
  teardown(async () => {
    await server?.dispose();
    server = undefined;
    removeWorkspace(root);
  });

  test('before initialize: -32002 for every request, notifications dropped', async function () {
    this.timeout(30_000);
    server = LspServer.start();
    const uri = pathToFileURL(join(root, 'config/initializers/lockbox.rb')).href;
    const position = { line: 0, character: 3 };
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'ruby', version: 1, text: LOCKBOX } });
    assert.equal(await errorCode(server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position })), -32002);
    assert.equal(await errorCode(server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } })), -32002);
    assert.equal(await errorCode(server.connection.sendRequest('initaudit/auditWorkspace', {})), -32002);
    assert.equal(await errorCode(server.connection.sendRequest('shutdown')), -32002);
    await server.initialize(root);
    // The didOpen before initialize was dropped: nothing was published for it.
    assert.deepEqual(server.diagnostics.filter((d) => d.uri === uri), []);
    assert.equal(await errorCode(server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position })), 'no error');
  });

  test('after shutdown: -32600 for every request, including the workspace audit and a second shutdown', async function () {
    this.timeout(30_000);
    server = LspServer.start();
    await server.initialize(root);
    const doc = await server.open(join(root, 'config/initializers/lockbox.rb'), 'ruby', LOCKBOX);
    await server.waitForDiagnostics(doc.uri, doc.version);
    assert.equal(await errorCode(server.connection.sendRequest('shutdown')), 'no error');
    const position = { line: 0, character: 3 };
    assert.equal(await errorCode(server.connection.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position })), -32600);
    assert.equal(await errorCode(server.connection.sendRequest('initaudit/auditWorkspace', {})), -32600);
    assert.equal(await errorCode(server.connection.sendRequest('initaudit/auditReport', {})), -32600);
    assert.equal(await errorCode(server.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} })), -32600);
    assert.equal(await errorCode(server.connection.sendRequest('shutdown')), -32600);
    const published = server.diagnostics.length;
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: 9 }, contentChanges: [{ text: 'x = 1\n' }] });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.diagnostics.length, published, 'a change after shutdown is not validated');
    assert.ok(server.alive);
  });
});
