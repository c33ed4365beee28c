// encrypted-attribute-untested in the editor: the finding sits on the attribute in the declaration
// line, its quick fix creates the round-trip spec, and once the spec exists the open model is clear.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { LspServer, makeWorkspace, removeWorkspace } from './client';

const RULE = 'encrypted-attribute-untested';
const APP = {
  Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 7.2.2"\ngem "lockbox"\n',
  'config/credentials.yml.enc': 'opaque\n',
  'config/initializers/lockbox.rb': 'Lockbox.master_key = ENV.fetch("LOCKBOX_MASTER_KEY")\n',
  'spec/rails_helper.rb': 'require "spec_helper"\n',
  'app/models/customer.rb': 'class Customer < ApplicationRecord\n  has_encrypted :iban\nend\n',
};

const ofRule = (ds: Diagnostic[]) => ds.filter((d) => d.code === RULE);

suite('lsp: encrypted-attribute-untested', () => {
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

  test('the quick fix on the declaration line creates the round-trip spec, and the model is then clear', async () => {
    const model = await server.open(join(root, 'app/models/customer.rb'), 'ruby', APP['app/models/customer.rb']);
    const [diagnostic] = ofRule(await server.waitForDiagnostics(model.uri, model.version));
    assert.ok(diagnostic, 'the attribute is reported');
    assert.deepEqual(diagnostic.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 21 } }, 'on ":iban" in the declaration');
    const actions = (await server.codeActions(model, diagnostic.range, [diagnostic])) ?? [];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit?.documentChanges, JSON.stringify(actions));
    assert.match(fix.title, /^Add an encryption round-trip spec/);
    const spec = join(root, 'spec/models/customer_encryption_spec.rb');
    const created = fix.edit.documentChanges.filter((c) => 'kind' in c && c.kind === 'create').map((c) => ('uri' in c ? c.uri : ''));
    assert.deepEqual(created, [pathToFileURL(spec).href]);
    const mark = server.diagnostics.length;
    await server.applyEdit(fix.edit);
    assert.match(readFileSync(spec, 'utf8'), /expect\(customer\.iban_ciphertext\)\.not_to include\(value\)/);
    assert.deepEqual(ofRule((await server.nextDiagnostics(model.uri, mark)).diagnostics), [], 'covered once the spec exists');
  });
});
