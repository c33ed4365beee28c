// Quick fixes over real JSON-RPC: the edit a user gets from the light bulb, applied the way
// VS Code applies it, must make the problem go away, and later fixes must build on earlier ones.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FULL_CAPABILITIES, LspServer, makeWorkspace, removeWorkspace, type TestDocument } from './client';
import { CONFIG_TS, CONFIG_TS_PATH, LOCKBOX, LOCKBOX_FIXED, LOCKBOX_PATH, RAILS_APP, STRIPE_RB, STRIPE_RB_PATH, TEST_RB_PATH } from './fixtures';

type DocumentChange = NonNullable<NonNullable<CodeAction['edit']>['documentChanges']>[number];

function isCreate(c: DocumentChange): c is CreateFile {
  return 'kind' in c && c.kind === 'create';
}

function isTextEdit(c: DocumentChange): c is TextDocumentEdit {
  return !('kind' in c);
}

function preferred(actions: CodeAction[] | null): CodeAction {
  const found = (actions ?? []).filter((a) => a.isPreferred);
  assert.equal(found.length, 1, `expected one preferred fix, got ${JSON.stringify(actions, null, 2)}`);
  const action = found[0] as CodeAction;
  assert.equal(action.kind, 'quickfix');
  return action;
}

function applyTo(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x:', '', 0, text), [...edits]);
}

suite('lsp: code actions', () => {
  let root: string;
  let server: LspServer;

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  async function start(files: Record<string, string>, capabilities = FULL_CAPABILITIES): Promise<void> {
    root = makeWorkspace({ ...RAILS_APP, ...files });
    server = LspServer.start('stdio');
    await server.initialize(root, capabilities);
  }

  async function openWithDiagnostic(rel: string, text: string): Promise<{ doc: TestDocument; diagnostic: Diagnostic }> {
    const doc = await server.open(join(root, rel), 'ruby', text);
    const diagnostics = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    return { doc, diagnostic: diagnostics[0] as Diagnostic };
  }

  const uriOf = (rel: string): string => pathToFileURL(join(root, rel)).href;

  test('the preferred fix creates test.rb with the dummy key and rewrites the initializer; applied, the error is gone', async () => {
    await start({});
    const { doc, diagnostic } = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);

    const action = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
    assert.deepEqual(action.diagnostics, [diagnostic]);
    assert.equal(action.title, `Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"]; also creates ${TEST_RB_PATH})`);
    const changes = action.edit?.documentChanges ?? [];
    assert.equal(action.edit?.changes, undefined);

    const testUri = uriOf(TEST_RB_PATH);
    const createAt = changes.findIndex((c) => isCreate(c) && c.uri === testUri);
    assert.ok(createAt >= 0, `no CreateFile for test.rb in ${JSON.stringify(changes, null, 2)}`);
    assert.deepEqual((changes[createAt] as CreateFile).options, { ignoreIfExists: true });
    // Every creation comes before every text edit (one undo step in VS Code); the created file's
    // content is an insertion at 0:0 of an unversioned document.
    const firstEdit = changes.findIndex((c) => isTextEdit(c));
    assert.ok(changes.slice(firstEdit).every((c) => isTextEdit(c)), 'no creation after a text edit');
    const fill = changes.find((c): c is TextDocumentEdit => isTextEdit(c) && c.textDocument.uri === testUri);
    assert.ok(fill, 'text of test.rb');
    assert.equal(fill.textDocument.version, null);
    const fillEdits = fill.edits as TextEdit[];
    assert.deepEqual(fillEdits[0]?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.ok(fillEdits.some((e) => e.newText.includes('ENV["LOCKBOX_MASTER_KEY"] ||=')), JSON.stringify(fillEdits));

    const initializerEdits = changes.filter((c): c is TextDocumentEdit => isTextEdit(c) && c.textDocument.uri === doc.uri);
    assert.equal(initializerEdits.length, 1);
    assert.equal(initializerEdits[0]?.textDocument.version, doc.version, 'edits of an open document carry its version');
    const fixed = applyTo(doc.text, initializerEdits[0]?.edits as TextEdit[]);
    assert.ok(fixed.includes(LOCKBOX_FIXED), fixed);

    assert.ok(action.edit);
    await server.applyEdit(action.edit);
    assert.ok(doc.text.includes(LOCKBOX_FIXED));
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, doc.version), []);
    assert.match(readFileSync(join(root, TEST_RB_PATH), 'utf8'), /ENV\["LOCKBOX_MASTER_KEY"\] \|\|=/);

    // Asking again for the old diagnostic finds nothing to fix.
    assert.deepEqual(await server.codeActions(doc, diagnostic.range, [diagnostic]), []);
  });

  test('after Undo deleted the test.rb a fix created, its buffer still open, the fix creates it again', async () => {
    await start({});
    const { doc, diagnostic } = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);
    // VS Code may keep the buffer of the file the undone fix created, with the dummy in it.
    const stale = await server.open(join(root, TEST_RB_PATH), 'ruby', 'ENV["LOCKBOX_MASTER_KEY"] ||= "0" * 64\n');
    await server.waitForDiagnostics(stale.uri, stale.version);
    assert.equal(existsSync(join(root, TEST_RB_PATH)), false);

    const action = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
    assert.equal(action.title, `Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"]; also creates ${TEST_RB_PATH})`);
    const changes = action.edit?.documentChanges ?? [];
    assert.ok(changes.some((c) => isCreate(c) && c.uri === uriOf(TEST_RB_PATH)), JSON.stringify(changes, null, 2));
    // Its text replaces the stale buffer's (VS Code clamps the range when the buffer was emptied).
    const fill = changes.find((c): c is TextDocumentEdit => isTextEdit(c) && c.textDocument.uri === stale.uri);
    assert.ok(fill, JSON.stringify(changes, null, 2));
    assert.deepEqual((fill.edits[0] as TextEdit).range, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } });
    assert.ok(action.edit);
    await server.applyEdit(action.edit);
    assert.equal(existsSync(join(root, TEST_RB_PATH)), true);
    assert.equal(stale.text.match(/ENV\["LOCKBOX_MASTER_KEY"\] \|\|=/g)?.length, 1, stale.text);
  });

  test('fixes asked for again after test.rb is gone from disk, before the watcher says so, create it again', async () => {
    // As after Undo: the light bulb asks while test.rb (with the dummy) is still there, then it is deleted.
    await start({ [TEST_RB_PATH]: 'ENV["LOCKBOX_MASTER_KEY"] ||= "0" * 64\n' });
    const { doc, diagnostic } = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);
    const before = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
    assert.equal(before.title, 'Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"])', 'the dummy is there: nothing else to do');
    rmSync(join(root, TEST_RB_PATH));
    const after = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
    assert.equal(after.title, `Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"]; also creates ${TEST_RB_PATH})`);
  });

  test('a second fix edits the test.rb the first one created, at the open buffer\'s version', async () => {
    await start({ [STRIPE_RB_PATH]: STRIPE_RB });
    const lockbox = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);
    const stripe = await openWithDiagnostic(STRIPE_RB_PATH, STRIPE_RB);

    const first = preferred(await server.codeActions(lockbox.doc, lockbox.diagnostic.range, [lockbox.diagnostic]));
    assert.ok(first.edit);
    await server.applyEdit(first.edit);
    assert.deepEqual(await server.waitForDiagnostics(lockbox.doc.uri, lockbox.doc.version), []);

    // VS Code shows the created file; the second fix must be computed against its buffer.
    const testRb = await server.open(join(root, TEST_RB_PATH), 'ruby', readFileSync(join(root, TEST_RB_PATH), 'utf8'));
    await server.waitForDiagnostics(testRb.uri, testRb.version);
    const version = await server.change(testRb, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# unsaved note\n' }]);
    await server.waitForDiagnostics(testRb.uri, version);

    const second = preferred(await server.codeActions(stripe.doc, stripe.diagnostic.range, [stripe.diagnostic]));
    const changes = second.edit?.documentChanges ?? [];
    assert.equal(changes.filter(isCreate).length, 0, 'test.rb exists now: nothing to create');
    const testRbEdit = changes.find((c): c is TextDocumentEdit => isTextEdit(c) && c.textDocument.uri === testRb.uri);
    assert.ok(testRbEdit, JSON.stringify(changes, null, 2));
    assert.equal(testRbEdit.textDocument.version, testRb.version);

    assert.ok(second.edit);
    await server.applyEdit(second.edit);
    assert.deepEqual(await server.waitForDiagnostics(stripe.doc.uri, stripe.doc.version), []);
    assert.match(testRb.text, /^# unsaved note\n/);
    assert.match(testRb.text, /ENV\["LOCKBOX_MASTER_KEY"\] \|\|=/);
    assert.match(testRb.text, /ENV\["STRIPE_[A-Z_]+"\] \|\|=/);
  });

  test('without documentChanges support, a fix that must create a file is not offered; others fall back to changes', async () => {
    const noDocumentChanges = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, workspaceEdit: {} } };
    await start({}, noDocumentChanges);
    const { doc, diagnostic } = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);
    const actions = (await server.codeActions(doc, diagnostic.range, [diagnostic])) ?? [];
    // Every action with an edit ("Show documentation" is a command).
    for (const a of actions.filter((x) => x.command?.command !== 'initaudit.showDocumentation')) {
      assert.equal(a.edit?.documentChanges, undefined);
      assert.ok(a.edit?.changes, JSON.stringify(a));
      assert.ok(!Object.keys(a.edit.changes).includes(uriOf(TEST_RB_PATH)), 'test.rb does not exist, so it cannot be edited');
    }
    assert.ok(!actions.some((a) => a.isPreferred), 'the preferred fix creates test.rb');
    assert.ok(!existsSync(join(root, TEST_RB_PATH)));
  });

  test('without documentChanges support, a fix that only edits existing files uses changes', async () => {
    const noDocumentChanges = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, workspaceEdit: {} } };
    await start({ [TEST_RB_PATH]: 'Rails.application.configure do\n  config.eager_load = false\nend\n' }, noDocumentChanges);
    const { doc, diagnostic } = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);
    const action = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
    const changes = action.edit?.changes ?? {};
    assert.equal(action.edit?.documentChanges, undefined);
    assert.ok(applyTo(doc.text, changes[doc.uri] ?? []).includes(LOCKBOX_FIXED));
    const testRb = readFileSync(join(root, TEST_RB_PATH), 'utf8');
    assert.match(applyTo(testRb, changes[uriOf(TEST_RB_PATH)] ?? []), /ENV\["LOCKBOX_MASTER_KEY"\] \|\|=/);
  });

  test('TypeScript: the fix rewrites the config, creates a test setup file, and tells what is left to do', async () => {
    await start({ 'package.json': '{ "name": "svc", "private": true }\n' });
    const doc = await server.open(join(root, CONFIG_TS_PATH), 'typescript', CONFIG_TS);
    const [diagnostic] = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.ok(diagnostic);
    const action = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
    const changes = action.edit?.documentChanges ?? [];
    const own = changes.find((c): c is TextDocumentEdit => isTextEdit(c) && c.textDocument.uri === doc.uri);
    assert.ok(own);
    assert.match(applyTo(doc.text, own.edits as TextEdit[]), /stripeKey = process\.env\.[A-Z_]+ \?\? secrets\.get\("stripe"\)/);
    const created = changes.filter(isCreate);
    assert.equal(created.length, 1);

    // The title names the file the fix creates.
    assert.match(action.title, /; also creates test\/setup-env\.ts\)$/);
    // After the edit, a command the server executes reveals the created file (without focus) and shows the note.
    assert.equal(action.command?.command, 'initaudit.afterFix');
    const revealed: unknown[] = [];
    server.connection.onRequest('window/showDocument', (p: unknown) => (revealed.push(p), { success: true }));
    const mark = server.messages.length;
    await server.connection.sendRequest('workspace/executeCommand', { command: action.command.command, arguments: action.command.arguments });
    const shown = await server.waitFor(() => server.messages[mark], 'the fix note as a message');
    assert.match(shown.message, /^Initaudit: .*setup/);
    assert.deepEqual(revealed, [{ uri: created[0]?.uri, takeFocus: false }]);

    assert.ok(action.edit);
    await server.applyEdit(action.edit);
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, doc.version), []);
  });

  test('a loose file outside every folder, in no app, gets only the rewrite of itself', async () => {
    await start({});
    const loose = makeWorkspace({});
    try {
      const doc = await server.open(join(loose, 'payments.rb'), 'ruby', LOCKBOX);
      const [diagnostic] = await server.waitForDiagnostics(doc.uri, doc.version);
      assert.ok(diagnostic);
      const action = preferred(await server.codeActions(doc, diagnostic.range, [diagnostic]));
      assert.equal(action.title, 'Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"])');
      const changes = action.edit?.documentChanges ?? [];
      assert.deepEqual(changes.map((c) => ('kind' in c ? c.kind : c.textDocument.uri)), [doc.uri], 'no config/environments/test.rb next to it');
      assert.equal(action.command, undefined, 'nothing created, nothing to reveal');
    } finally {
      removeWorkspace(loose);
    }
  });

  test('code actions restricted to other kinds return nothing', async () => {
    await start({});
    const { doc, diagnostic } = await openWithDiagnostic(LOCKBOX_PATH, LOCKBOX);
    const actions = await server.connection.sendRequest<CodeAction[] | null>('textDocument/codeAction', {
      textDocument: { uri: doc.uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['refactor'] },
    });
    assert.deepEqual(actions, []);
  });
});
