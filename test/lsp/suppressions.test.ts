// Suppressions, .initaudit.yml and editor settings in the language server, over real JSON-RPC:
// the same directives the CLI honours silence live diagnostics, and the code actions that write
// them, open the docs, and fix everything on save behave as an editor would see them.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { baselineEntries, serializeBaseline } from '../../server/src/core/baseline';
import { FULL_CAPABILITIES, LspServer, makeWorkspace, SERVER_JS, removeWorkspace, type TestDocument } from './client';
import { LOCKBOX, LOCKBOX_FIXED, LOCKBOX_PATH, RAILS_APP, RULE_ID, TEST_RB_PATH } from './fixtures';

const WITH_SETTINGS = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, configuration: true, didChangeConfiguration: { dynamicRegistration: true } } };

suite('lsp: suppressions and configuration', () => {
  let root: string;
  let server: LspServer;
  /** What the client answers to workspace/configuration, and the scopes it was asked for. */
  let settings: Record<string, unknown>;
  let asked: string[];

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  async function start(files: Record<string, string>): Promise<void> {
    root = makeWorkspace({ ...RAILS_APP, ...files });
    settings = {};
    asked = [];
    server = LspServer.start('stdio');
    server.connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => {
        asked.push(`${item.section ?? ''}@${item.scopeUri ?? ''}`);
        return settings;
      }),
    );
    await server.initialize(root, WITH_SETTINGS);
  }

  async function open(rel: string, text: string): Promise<{ doc: TestDocument; diagnostics: Diagnostic[] }> {
    const doc = await server.open(join(root, rel), rel.endsWith('.ts') ? 'typescript' : 'ruby', text);
    return { doc, diagnostics: await server.waitForDiagnostics(doc.uri, doc.version) };
  }

  const quickFixes = (doc: TestDocument, diagnostic: Diagnostic): Promise<CodeAction[] | null> => server.codeActions(doc, diagnostic.range, [diagnostic]);

  test('a disable comment silences the live diagnostic; a stale one shows faded as unused-suppression', async () => {
    await start({});
    const { doc, diagnostics } = await open(LOCKBOX_PATH, `# initaudit:disable-next-line ${RULE_ID} -- key set by CI\n${LOCKBOX}`);
    assert.deepEqual(diagnostics, []);
    // Editing the suppressed line away leaves the directive with nothing to do.
    const version = await server.change(doc, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: 'Lockbox.master_key = ENV.fetch("K")\n' }]);
    const after = await server.waitForDiagnostics(doc.uri, version);
    assert.equal(after.length, 1, JSON.stringify(after));
    assert.equal(after[0]?.code, 'unused-suppression');
    assert.deepEqual(after[0]?.tags, [1 /* Unnecessary */]);
    assert.match(after[0]?.codeDescription?.href ?? '', /docs\/rules\/unused-suppression\.md$/);
    assert.deepEqual(asked, [`initaudit@${pathToFileURL(root).href}`], 'settings are asked per folder, with its scopeUri, once');
  });

  test('"Disable for this line" and "for this file" write directives that silence the finding when applied', async () => {
    await start({});
    const { doc, diagnostics } = await open(LOCKBOX_PATH, LOCKBOX);
    const diagnostic = diagnostics[0] as Diagnostic;
    const actions = (await quickFixes(doc, diagnostic)) ?? [];
    // The rule's own fix first, then the ways out, as vscode-eslint orders them.
    assert.equal(actions[0]?.isPreferred, true);
    assert.deepEqual(
      actions.slice(1).map((a) => a.title),
      [`Disable ${RULE_ID} for this line`, `Disable ${RULE_ID} for this file`, `Show documentation for ${RULE_ID}`],
    );
    const line = actions.find((a) => a.title === `Disable ${RULE_ID} for this line`);
    const file = actions.find((a) => a.title === `Disable ${RULE_ID} for this file`);
    const docs = actions.find((a) => a.title === `Show documentation for ${RULE_ID}`);
    assert.ok(line?.edit && file?.edit && docs?.command);
    assert.deepEqual(docs.command.arguments, [`https://github.com/initaudit/initaudit/blob/main/docs/rules/${RULE_ID}.md`, RULE_ID]);
    const edits = (line.edit.documentChanges?.[0] as TextDocumentEdit).edits as TextEdit[];
    assert.equal((line.edit.documentChanges?.[0] as TextDocumentEdit).textDocument.version, doc.version);
    assert.deepEqual(edits.map((e) => e.newText), [`# initaudit:disable-next-line ${RULE_ID}\n`]);

    await server.applyEdit(line.edit);
    assert.equal(doc.text, `# initaudit:disable-next-line ${RULE_ID}\n${LOCKBOX}`);
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, doc.version), []);

    // The same through the file-level directive, on a fresh buffer.
    const other = await open('config/initializers/other.rb', LOCKBOX.replace(/lockbox/gi, 'Other'));
    const fileAction = ((await quickFixes(other.doc, other.diagnostics[0] as Diagnostic)) ?? []).find((a) => a.title === `Disable ${RULE_ID} for this file`);
    assert.ok(fileAction?.edit);
    await server.applyEdit(fileAction.edit);
    assert.ok(other.doc.text.startsWith(`# initaudit:disable-file ${RULE_ID}\n`));
    assert.deepEqual(await server.waitForDiagnostics(other.doc.uri, other.doc.version), []);
  });

  test('"Show documentation" opens the rule\'s page shipped next to the server, offline; else the web page', async () => {
    await start({});
    const url = `https://github.com/initaudit/initaudit/blob/main/docs/rules/${RULE_ID}.md`;
    const shown: unknown[] = [];
    server.connection.onRequest('window/showDocument', (p: unknown) => (shown.push(p), { success: true }));
    await server.connection.sendRequest('workspace/executeCommand', { command: 'initaudit.showDocumentation', arguments: [url, RULE_ID] });
    // The server runs from server/out/, two levels under docs/rules/ as in the packaged extension.
    const page = pathToFileURL(join(SERVER_JS, '..', '..', '..', 'docs', 'rules', `${RULE_ID}.md`)).href;
    await server.waitFor(() => (shown.length > 0 ? true : undefined), 'window/showDocument');
    assert.deepEqual(shown[0], { uri: page, takeFocus: true });
    await server.connection.sendRequest('workspace/executeCommand', { command: 'initaudit.showDocumentation', arguments: [url, 'no-such-rule'] });
    await server.waitFor(() => (shown.length > 1 ? true : undefined), 'the web page for a page not shipped');
    assert.deepEqual(shown[1], { uri: url, external: true });
  });

  test('source.fixAll.initaudit applies every preferred fix, across files, and is offered only when asked for', async () => {
    const stripe = 'Stripe.api_key = Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key)\n';
    await start({});
    const { doc } = await open(LOCKBOX_PATH, `${LOCKBOX}${stripe}`);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const request = (only?: string[]): Promise<CodeAction[] | null> =>
      server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: doc.uri }, range, context: { diagnostics: [], ...(only ? { only } : {}) } });
    assert.deepEqual(await request(), [], 'not offered unasked');
    const [fixAll, ...rest] = (await request(['source.fixAll'])) ?? [];
    assert.equal(rest.length, 0);
    assert.equal(fixAll?.kind, 'source.fixAll.initaudit');
    assert.ok(fixAll?.edit);
    await server.applyEdit(fixAll.edit);
    assert.ok(doc.text.startsWith(LOCKBOX_FIXED), doc.text);
    assert.ok(doc.text.includes('ENV["STRIPE_API_KEY"] || Chamber.dig(:stripe, :api_key)'), doc.text);
    const testRb = readFileSync(join(root, TEST_RB_PATH), 'utf8');
    assert.equal(testRb.split('LOCKBOX_MASTER_KEY').length - 1, 1, testRb);
    assert.deepEqual(await server.waitForDiagnostics(doc.uri, doc.version), []);
    assert.deepEqual(await request(['source.fixAll.initaudit']), [], 'nothing left to fix');
  });

  test('.initaudit.yml turns rules off and changes severity; its errors are diagnostics on the file; editing it re-applies', async () => {
    await start({ '.initaudit.yml': 'rules:\n  env-forked-nil-secret: hint\n' });
    const { doc, diagnostics } = await open(LOCKBOX_PATH, LOCKBOX);
    assert.deepEqual(diagnostics.map((d) => d.severity), [4 /* Hint */]);

    const configUri = pathToFileURL(join(root, '.initaudit.yml')).href;
    const from = server.diagnostics.length;
    writeFileSync(join(root, '.initaudit.yml'), 'rules:\n  env-forked-nil-secret: loud\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const configProblems = await server.nextDiagnostics(configUri, from);
    assert.equal(configProblems.diagnostics.length, 1);
    assert.deepEqual(configProblems.diagnostics[0]?.range.start, { line: 1, character: 25 });
    assert.equal(configProblems.diagnostics[0]?.message, '"loud" is not a level for env-forked-nil-secret: use off, on, error, warning, info or hint.');
    assert.deepEqual(configProblems.diagnostics[0]?.range.end, { line: 1, character: 29 }, 'the value, not the rest of the line');
    // An invalid file is ignored: the default severity is back.
    const fallback = await server.waitFor(() => server.diagnostics.slice(from).find((p) => p.uri === doc.uri && p.diagnostics[0]?.severity === 1), 'default severity');
    assert.equal(fallback.diagnostics.length, 1);

    const next = server.diagnostics.length;
    writeFileSync(join(root, '.initaudit.yml'), 'rules:\n  env-forked-nil-secret: off\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    assert.deepEqual((await server.nextDiagnostics(configUri, next)).diagnostics, [], 'fixed config clears its problems');
    await server.waitFor(() => server.diagnostics.slice(next).find((p) => p.uri === doc.uri && p.diagnostics.length === 0), 'rule off');
  });

  test('a misspelt key in an open .initaudit.yml: "did you mean", and a quick fix that renames it', async () => {
    await start({ '.initaudit.yml': 'exclued:\n  - legacy\n' });
    const configPath = join(root, '.initaudit.yml');
    const configUri = pathToFileURL(configPath).href;
    // The policy loads (and its problems are published) when a Ruby file is validated.
    await open(LOCKBOX_PATH, LOCKBOX);
    const published = await server.waitFor(() => server.diagnostics.findLast((p) => p.uri === configUri && p.diagnostics.length > 0), 'config problems');
    const [problem] = published.diagnostics;
    assert.ok(problem);
    assert.equal(problem.message, 'Unknown setting "exclued": did you mean "exclude"?');
    const config = await server.open(configPath, 'yaml', 'exclued:\n  - legacy\n');
    const actions = (await server.codeActions(config, problem.range, [problem])) ?? [];
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Rename "exclued" to "exclude"', true]]);
    const from = server.diagnostics.length;
    await server.applyEdit(actions[0]?.edit ?? {});
    assert.equal(config.text, 'exclude:\n  - legacy\n');
    // Checked as typed: the open buffer's problems go before it is saved (its didOpen check may still
    // be queued behind the edit, so wait for the cleared set rather than the next one).
    await server.waitFor(() => server.diagnostics.slice(from).find((p) => p.uri === configUri && p.diagnostics.length === 0), 'the renamed key clears the problem before saving');
    assert.equal(readFileSync(configPath, 'utf8'), 'exclued:\n  - legacy\n', 'not saved yet');
  });

  test('the baseline named by initaudit.baseline hides recorded findings in the editor, and only those', async () => {
    await start({});
    const lockboxPath = join(root, LOCKBOX_PATH);
    // The baseline the CLI writes, for the file as it is on disk.
    const entries = baselineEntries(root, lockboxPath, LOCKBOX, [
      { ruleId: RULE_ID, severity: 'error', path: lockboxPath, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 18 } }, message: '', related: [], fixes: [] },
    ]);
    writeFileSync(join(root, 'ci-baseline.json'), serializeBaseline(entries));
    settings = { baseline: 'ci-baseline.json' };
    // Lines added above keep the recorded finding hidden; a new forked key is shown.
    const stripe = 'Stripe.api_key = Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key)\n';
    const { diagnostics } = await open(LOCKBOX_PATH, `# keys\n\n${LOCKBOX}${stripe}`);
    assert.deepEqual(diagnostics.map((d) => d.range.start.line), [3], JSON.stringify(diagnostics));
  });

  test('editor settings apply per folder and a settings change re-validates open documents', async () => {
    await start({});
    const { doc, diagnostics } = await open(LOCKBOX_PATH, LOCKBOX);
    assert.equal(diagnostics.length, 1);
    settings = { rules: { [RULE_ID]: 'off' } };
    const from = server.diagnostics.length;
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await server.waitFor(() => server.diagnostics.slice(from).find((p) => p.uri === doc.uri && p.diagnostics.length === 0), 'diagnostics cleared by the setting');
    assert.equal(asked.length, 2);
    assert.ok(server.serverRequests.includes('client/registerCapability'));
  });
});
