// The editor path of lockfile-major-drift: the client reads Gemfile.lock at HEAD through VS Code's
// git extension and sends it (initaudit/lockfileBase); the server compares the open or changed
// lockfile with it, over JSON-RPC, with no git on the server side.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { LOCKFILE_BASE_NOTIFICATION, type LockfileBaseParams } from '../../server/src/lsp/protocol';
import { LspServer, makeWorkspace, removeWorkspace } from './client';

const RULE = 'lockfile-major-drift';
const ERROR = 1;
const WARNING = 2;
const INFORMATION = 3;

const GEMFILE = 'source "https://rubygems.org"\n\ngem "sidekiq", "~> 7.3"\n\ngroup :test do\n  gem "minitest"\nend\n';
const lock = (pool: string, minitest: string, redis: string): string => `GEM
  remote: https://rubygems.org/
  specs:
    connection_pool (${pool})
    minitest (${minitest})
    redis-client (${redis})
      connection_pool
    sidekiq (7.3.9)
      connection_pool (>= 2.3.0)
      redis-client (>= 0.22.2)

PLATFORMS
  ruby

DEPENDENCIES
  minitest
  sidekiq (~> 7.3)

BUNDLED WITH
   2.6.2
`;
const HEAD_LOCK = lock('2.5.5', '5.25.4', '0.23.0');
const UPDATED = lock('3.0.2', '6.0.0', '1.0.0');

const ofRule = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.code === RULE);
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

suite('lsp: lockfile compared with its git base', () => {
  let root: string;
  let server: LspServer;

  setup(async () => {
    root = makeWorkspace({ Gemfile: GEMFILE, 'Gemfile.lock': UPDATED });
    server = LspServer.start('stdio');
    await server.initialize(root);
  });

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  const sendBase = (params: LockfileBaseParams): Promise<void> => server.connection.sendNotification(LOCKFILE_BASE_NOTIFICATION, params);

  test('without a base only the known-incompatible pair is reported; with HEAD sent, the drift appears on the open lockfile', async () => {
    const path = join(root, 'Gemfile.lock');
    const doc = await server.open(path, 'plaintext', UPDATED);
    const before = ofRule(await server.waitForDiagnostics(doc.uri, doc.version));
    assert.deepEqual(
      before.map((d) => [d.range.start.line, d.severity]),
      [[3, ERROR]],
    );
    assert.match(messageOf(before[0]!), /^Gem "connection_pool" 3\.0\.2 breaks "sidekiq" 7\.3\.9/);

    const mark = server.diagnostics.length;
    await sendBase({ uri: doc.uri, ref: 'HEAD', text: HEAD_LOCK });
    const after = ofRule((await server.nextDiagnostics(doc.uri, mark)).diagnostics);
    assert.deepEqual(
      after.map((d) => [d.range.start.line, d.severity]),
      [
        [3, ERROR],
        [4, INFORMATION],
        [5, WARNING],
      ],
    );
    assert.match(messageOf(after[0]!), /2\.5\.5 → 3\.0\.2 breaks "sidekiq" 7\.3\.9/);
    assert.match(messageOf(after[2]!), /^Gem "redis-client" 0\.23\.0 → 1\.0\.0 crosses a major that no dependent caps \(sidekiq >= 0\.22\.2\), on the runtime path via "sidekiq"/);

    // The quick fix pins connection_pool in the Gemfile, a file that is not open; its title says so.
    const actions = (await server.codeActions(doc, after[0]!.range, [after[0]!])) ?? [];
    const pin = actions.find((a) => a.title === 'Pin connection_pool to ~> 2.5 (also edits Gemfile)');
    assert.ok(pin?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(!actions.some((a) => a.title.startsWith('Disable ')), 'no comment is offered for a file Bundler rewrites');
    await server.applyEdit(pin.edit);
    assert.match(readFileSync(join(root, 'Gemfile'), 'utf8'), /^gem "sidekiq", "~> 7\.3"\n# connection_pool 3 makes TimedStack#pop keyword-only.*\ngem "connection_pool", "~> 2\.5"\n/m);
  });

  test('a changed lockfile that is not open gets its drift in Problems, and loses it when the base is withdrawn', async () => {
    const uri = pathToFileURL(join(root, 'Gemfile.lock')).href;
    let mark = server.diagnostics.length;
    await sendBase({ uri, ref: 'main', text: HEAD_LOCK });
    const published = ofRule((await server.nextDiagnostics(uri, mark)).diagnostics);
    assert.deepEqual(
      published.map((d) => d.severity),
      [ERROR, INFORMATION, WARNING],
    );

    // A bundle update in the terminal: the file changes on disk, the server re-reads it.
    writeFileSync(join(root, 'Gemfile.lock'), lock('2.5.5', '6.0.0', '0.23.0'));
    mark = server.diagnostics.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    assert.deepEqual(
      ofRule((await server.nextDiagnostics(uri, mark)).diagnostics).map((d) => [d.range.start.line, d.severity]),
      [[4, INFORMATION]],
    );

    mark = server.diagnostics.length;
    await sendBase({ uri });
    assert.deepEqual((await server.nextDiagnostics(uri, mark)).diagnostics, []);
  });

  test('a file new at the base (text null) has no drift; a malformed notification is ignored', async () => {
    const doc = await server.open(join(root, 'Gemfile.lock'), 'plaintext', UPDATED);
    await server.waitForDiagnostics(doc.uri, doc.version);
    await sendBase({ uri: 42 as unknown as string, ref: 'HEAD', text: HEAD_LOCK });
    let mark = server.diagnostics.length;
    await sendBase({ uri: doc.uri, ref: 'HEAD', text: HEAD_LOCK });
    assert.equal(ofRule((await server.nextDiagnostics(doc.uri, mark)).diagnostics).length, 3);
    mark = server.diagnostics.length;
    await sendBase({ uri: doc.uri, ref: 'HEAD', text: null });
    assert.deepEqual(
      ofRule((await server.nextDiagnostics(doc.uri, mark)).diagnostics).map((d) => d.severity),
      [ERROR],
    );
    await server.assertStillServes(root, 'x = 1\n', []);
  });
});
