// implicit-gem-key-lookup in the editor: facts come from other files (Gemfile, initializers,
// credentials files), so a change to any of them must update the open model without reopening it.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { LspServer, makeWorkspace, removeWorkspace } from './client';

const RULE = 'implicit-gem-key-lookup';
const ERROR = 1;
const WARNING = 2;
const HINT = 4;
const APP = {
  Gemfile: 'source "https://rubygems.org"\ngem "chamber"\ngem "lockbox"\n',
  'config/application.rb': 'require_relative "boot"\nmodule Shop\n  class Application < Rails::Application\n  end\nend\n',
  'config/initializers/other.rb': 'Rails.application.config.time_zone = "UTC"\n',
  'app/models/customer.rb': 'class Customer < ApplicationRecord\n  has_encrypted :iban\nend\n',
};

const ofRule = (ds: Diagnostic[]) => ds.filter((d) => d.code === RULE);

suite('lsp: implicit-gem-key-lookup across files', () => {
  let root: string;
  let server: LspServer;

  setup(async () => {
    root = makeWorkspace(APP);
    server = LspServer.start('stdio');
    await server.initialize(root);
  });

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  test('typing the assignment into another initializer clears the open model, and removing it brings it back', async () => {
    const model = await server.open(join(root, 'app/models/customer.rb'), 'ruby', APP['app/models/customer.rb']);
    const [first] = ofRule(await server.waitForDiagnostics(model.uri, model.version));
    assert.ok(first, 'the use is marked');
    // The finding is on the Gemfile line; the use gets a hint pointing there.
    assert.equal(first.severity, HINT);
    assert.match(String(first.message), /the finding is on Gemfile:\d+/);
    assert.deepEqual(first.range.start, { line: 1, character: 2 });

    const other = await server.open(join(root, 'config/initializers/other.rb'), 'ruby', APP['config/initializers/other.rb']);
    let mark = server.diagnostics.length;
    const end = { line: 1, character: 0 };
    await server.change(other, [{ range: { start: end, end }, text: 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"]\n' }]);
    assert.deepEqual(ofRule((await server.nextDiagnostics(model.uri, mark)).diagnostics), [], 'cleared without reopening the model');

    mark = server.diagnostics.length;
    await server.change(other, [{ range: { start: end, end: { line: 2, character: 0 } }, text: '# Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"]\n' }]);
    assert.equal(ofRule((await server.nextDiagnostics(model.uri, mark)).diagnostics).length, 1, 'a commented-out assignment is not explicit');
  });

  test('a credentials file deleted on disk makes the finding an error: the editor sees the change', async () => {
    const gemfile = await server.open(join(root, 'Gemfile'), 'ruby', APP.Gemfile);
    const [initial] = ofRule(await server.waitForDiagnostics(gemfile.uri, gemfile.version));
    assert.equal(initial?.severity, WARNING, 'no credentials file, nothing known about it: a warning');

    const credentials = join(root, 'config/credentials/production.yml.enc');
    mkdirSync(join(root, 'config/credentials'), { recursive: true });
    writeFileSync(credentials, 'opaque\n');
    let mark = server.diagnostics.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(credentials).href, type: 1 }] });
    const [present] = ofRule((await server.nextDiagnostics(gemfile.uri, mark)).diagnostics);
    assert.equal(present?.severity, WARNING);
    assert.match(String(present?.message ?? ''), /deleting the credentials file would silently empty it/);

    rmSync(credentials);
    mark = server.diagnostics.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(credentials).href, type: 3 }] });
    const [deleted] = ofRule((await server.nextDiagnostics(gemfile.uri, mark)).diagnostics);
    assert.equal(deleted?.severity, ERROR);
    assert.match(String(deleted?.message ?? ''), /this change deletes its credentials file/);
  });

  test('the quick fix creates the initializer and the test dummy; applying it clears both open files', async () => {
    const model = await server.open(join(root, 'app/models/customer.rb'), 'ruby', APP['app/models/customer.rb']);
    const gemfile = await server.open(join(root, 'Gemfile'), 'ruby', APP.Gemfile);
    const [diagnostic] = ofRule(await server.waitForDiagnostics(model.uri, model.version));
    assert.ok(diagnostic);
    assert.equal(ofRule(await server.waitForDiagnostics(gemfile.uri, gemfile.version)).length, 1, 'the Gemfile line is reported too');
    const actions = (await server.codeActions(model, diagnostic.range, [diagnostic])) ?? [];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit?.documentChanges, JSON.stringify(actions));
    const created = fix.edit.documentChanges.filter((c) => 'kind' in c && c.kind === 'create').map((c) => ('uri' in c ? c.uri : ''));
    assert.deepEqual(created.sort(), [pathToFileURL(join(root, 'config/environments/test.rb')).href, pathToFileURL(join(root, 'config/initializers/lockbox.rb')).href].sort());
    const mark = server.diagnostics.length;
    await server.applyEdit(fix.edit);
    assert.deepEqual(ofRule((await server.nextDiagnostics(model.uri, mark)).diagnostics), []);
    assert.deepEqual(ofRule((await server.nextDiagnostics(gemfile.uri, mark)).diagnostics), []);
  });
});
