// The language server outlives bad clients: malformed JSON-RPC, requests with nonsense params,
// a document closed while a request about it is in flight, and cancelled requests. After each,
// it must still be alive and still publish the right diagnostic for an ordinary initializer.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { CodeAction } from 'vscode-languageserver';
import { LspServer, makeWorkspace, removeWorkspace } from '../lsp/client';
import { LOCKBOX, LOCKBOX_PATH, RAILS_APP, RULE_ID } from '../lsp/fixtures';

const REQUEST_CANCELLED = -32800;

suite('robustness: the language server survives bad clients', () => {
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

  /** Writes raw bytes to the server's stdin, bypassing the JSON-RPC writer. */
  function writeRaw(body: string): void {
    const stdin = server.child.stdin;
    assert.ok(stdin);
    stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  test('malformed JSON-RPC: invalid JSON, a non-message object, a notification with garbage params', async () => {
    writeRaw('{"jsonrpc": "2.0", "method": ');
    writeRaw('{"hello": "world"}');
    writeRaw('[1, 2, 3]');
    writeRaw('{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":null,"contentChanges":"x"}}');
    writeRaw('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":42}}}');
    writeRaw('{"jsonrpc":"2.0","id":"bad-1","method":"textDocument/codeAction","params":null}');
    await stillWorks();
  });

  test('a document closed while its code action request is in flight', async () => {
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    const [diagnostic] = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.ok(diagnostic);
    const pending = server.codeActions(doc, diagnostic.range, [diagnostic]);
    await server.close(doc);
    const actions: CodeAction[] | null = await pending;
    // Either answered from the text it had, or nothing: never an error.
    assert.ok(actions === null || Array.isArray(actions));
    await stillWorks();
  });

  test('cancelled requests are answered or cancelled, and the server goes on', async () => {
    const doc = await server.open(join(root, 'config/initializers/cancel.rb'), 'ruby', LOCKBOX);
    const [diagnostic] = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.ok(diagnostic);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const source = new CancellationTokenSource();
      const pending = server.connection.sendRequest(
        'textDocument/codeAction',
        { textDocument: { uri: doc.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } },
        source.token,
      );
      source.cancel();
      try {
        await pending;
        outcomes.push('answered');
      } catch (e) {
        assert.ok(e instanceof ResponseError && e.code === REQUEST_CANCELLED, `unexpected ${String(e)}`);
        outcomes.push('cancelled');
      }
    }
    assert.equal(outcomes.length, 5);
    await server.close(doc);
    await stillWorks();
  });

  test('a workspace audit cancelled as it starts, then one run to the end', async function () {
    this.timeout(60_000);
    const source = new CancellationTokenSource();
    const pending = server.connection.sendRequest('initaudit/auditWorkspace', {}, source.token);
    source.cancel();
    try {
      await pending;
    } catch (e) {
      assert.ok(e instanceof ResponseError && e.code === REQUEST_CANCELLED, `unexpected ${String(e)}`);
    }
    await stillWorks();
    // The next audit is not poisoned by the cancelled one.
    await server.connection.sendRequest('initaudit/auditWorkspace', {});
    await stillWorks();
  });

  test('edits racing each other: diagnostics end on the latest version', async () => {
    const doc = await server.open(join(root, 'config/initializers/race.rb'), 'ruby', '# empty\n');
    let version = doc.version;
    for (let i = 0; i < 30; i++) {
      version = await server.change(doc, [{ text: i % 2 === 0 ? LOCKBOX : `# edit ${i}\n` }]);
    }
    // The last text (i = 29) has no finding; the last published diagnostics must say so.
    const last = await server.waitForDiagnostics(doc.uri, version);
    assert.deepEqual(last, []);
    await server.close(doc);
    await stillWorks();
  });
});
