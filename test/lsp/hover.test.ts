// Hover on a finding (the rule's explanation and documentation link) and on a secret key read
// (every other place that reads the same key).

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { LspServer, makeWorkspace, positionOf, removeWorkspace } from './client';
import { LOCKBOX, LOCKBOX_PATH, RAILS_APP } from './fixtures';

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

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
    // The finding's own details: what nil does at this version, what CI never runs, and the sources.
    assert.match(value, /In test: Lockbox raises "Missing master key"/);
    assert.match(value, /The production lookup `Chamber\.dig\(:lockbox, :master_key\)` never runs in CI/);
    assert.match(value, /Sources: ankane\/lockbox v2\.1\.0 lib\/lockbox\.rb:65-67/);
    assert.match(value, /\[Documentation for env-forked-nil-secret\]\(https:\/\/github\.com\/initaudit\/initaudit\/blob\/main\/docs\/rules\/env-forked-nil-secret\.md\)/);
    assert.deepEqual(h.range, d.range);
  });

  test('elsewhere on the line: no hover', async () => {
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    await server.waitForDiagnostics(doc.uri, doc.version);
    assert.equal(await hover(doc.uri, positionOf(LOCKBOX, 'Rails')), null);
  });

  test('over a key read: every other place that reads the same key, explicitly or by gem convention', async () => {
    writeFiles(root, {
      'app/models/user.rb': 'class User < ApplicationRecord\n  has_encrypted :email\nend\n',
      'lib/tasks/rotate.rake': 'OLD_KEY = Rails.application.credentials.dig(:lockbox, :master_key)\n',
      'config/initializers/other.rb': 'FALLBACK = ENV.fetch("LOCKBOX_MASTER_KEY", nil)\n',
    });
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    await server.waitForDiagnostics(doc.uri, doc.version);
    const h = await hover(doc.uri, positionOf(LOCKBOX, 'Chamber'));
    assert.ok(h);
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /\*\*`LOCKBOX_MASTER_KEY`\*\*: read through chamber/);
    assert.match(value, /\[config\/initializers\/other\.rb:1\]\(file:[^)]+#L1\): `ENV\["LOCKBOX_MASTER_KEY"\]`/);
    assert.match(value, /\[lib\/tasks\/rotate\.rake:1\]\(file:[^)]+\): `Rails\.application\.credentials\.dig\(:lockbox, :master_key\)`/);
    assert.match(value, /by convention: Lockbox\.master_key \(lockbox gem\): `ENV\["LOCKBOX_MASTER_KEY"\]`, then credentials/);
    assert.deepEqual(h.range, { start: positionOf(LOCKBOX, 'Chamber'), end: { line: 0, character: LOCKBOX.indexOf('\n') } });
  });
});
