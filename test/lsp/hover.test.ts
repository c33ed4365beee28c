// Hover on a finding: the rule's explanation and its documentation link, only over the finding.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { LspServer, makeWorkspace, positionOf, removeWorkspace } from './client';
import { LOCKBOX, LOCKBOX_PATH, RAILS_APP } from './fixtures';

suite('lsp: hover', () => {
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

  const hover = (uri: string, position: { line: number; character: number }): Promise<Hover | null> =>
    server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });

  test('over the finding: what the rule means and where its documentation is', async () => {
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    const [d] = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.ok(d);
    const h = await hover(doc.uri, positionOf(LOCKBOX, 'master_key'));
    assert.ok(h, 'a hover over the squiggle');
    const value = (h.contents as MarkupContent).value;
    assert.equal((h.contents as MarkupContent).kind, 'markdown');
    assert.match(value, /^\*\*Initaudit: Secret forked to nil by environment\*\* \(`env-forked-nil-secret`\)/);
    assert.match(value, /Use an explicit env key in every environment/);
    assert.match(value, /\[Documentation for env-forked-nil-secret\]\(https:\/\/github\.com\/initaudit\/initaudit\/blob\/main\/docs\/rules\/env-forked-nil-secret\.md\)/);
    assert.deepEqual(h.range, d.range);
  });

  test('elsewhere on the line: no hover', async () => {
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    await server.waitForDiagnostics(doc.uri, doc.version);
    assert.equal(await hover(doc.uri, positionOf(LOCKBOX, 'Chamber')), null);
  });
});
