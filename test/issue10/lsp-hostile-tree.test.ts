// The language server's own workspace reads in a hostile tree (issue 10, cases 9 and 10, "the
// same applies in the language server's workspace reads"): the files around an open document
// (Gemfile.lock, test.rb, initializers, app/models) are FIFOs and links to /dev/zero and /. Every
// request must still be answered (the client's timeouts fail a hang), each refused file is logged
// once with its reason, and the workspace audit ends.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { LspServer, makeWorkspace, removeWorkspace } from '../lsp/client';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
const GEMFILE = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\ngem "chamber"\n';

suite('issue 10: the language server in a hostile tree', () => {
  let root: string;
  let server: LspServer | undefined;
  suiteSetup(function () {
    if (process.platform === 'win32') this.skip();
  });
  teardown(async () => {
    await server?.dispose();
    if (root) removeWorkspace(root);
  });

  test('FIFOs and device links next to an open file: diagnostics, code actions and the audit all come back', async function () {
    this.timeout(90_000);
    root = makeWorkspace({ Gemfile: GEMFILE, 'config/application.rb': 'module App\nend\n', 'config/initializers/lockbox.rb': LOCKBOX });
    mkdirSync(join(root, 'config', 'environments'), { recursive: true });
    mkdirSync(join(root, 'app'), { recursive: true });
    execFileSync('mkfifo', [join(root, 'Gemfile.lock')]);
    // The fix's target: the quick fix reads it to add the dummy.
    execFileSync('mkfifo', [join(root, 'config', 'environments', 'test.rb')]);
    symlinkSync('/dev/zero', join(root, 'config', 'initializers', 'zero.rb'));
    symlinkSync('/dev/urandom', join(root, 'config', 'initializers', 'random.rb'));
    symlinkSync('/', join(root, 'app', 'models'));

    server = LspServer.start();
    await server.initialize(root);
    const doc = await server.open(join(root, 'config/initializers/lockbox.rb'), 'ruby', LOCKBOX);
    const diagnostics = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.deepEqual(diagnostics.map((d) => d.code), ['env-forked-nil-secret']);
    const d = diagnostics[0] as Diagnostic;
    // Answered, whatever it offers: test.rb cannot be read, so no fix may pretend to edit it.
    const actions = (await server.codeActions(doc, d.range, [d])) ?? [];
    const editsTestRb = JSON.stringify(actions).includes('config/environments/test.rb');
    assert.equal(editsTestRb, false, 'no fix edits a test.rb that is a named pipe');

    const summary = await server.connection.sendRequest<{ cancelled: boolean; findings: number }>('initaudit/auditWorkspace');
    assert.equal(summary.cancelled, false);
    assert.ok(summary.findings >= 1, JSON.stringify(summary));

    // Typing goes on being served after all that.
    await server.assertStillServes(root, LOCKBOX, ['env-forked-nil-secret']);

    const notRead = server.logs.map((l) => l.message).filter((m) => m.includes(': not read ('));
    for (const name of ['Gemfile.lock', 'config/environments/test.rb']) {
      const lines = notRead.filter((m) => m.includes(join(root, name)));
      assert.ok(lines.length >= 1, `${name} is said to be not read:\n${notRead.join('\n')}`);
    }
    assert.equal(notRead.length, new Set(notRead).size, `each refusal logged once:\n${notRead.join('\n')}`);
  });
});
