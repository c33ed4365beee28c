// The workspace audit over real JSON-RPC: what "Initaudit: Audit Workspace" and "Export Audit
// Report" do in the editor. Findings of closed files stay in Problems as their own source, open
// files keep their live diagnostics, progress is reported and cancellable.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import type { ClientCapabilities, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { AuditReport, AuditSummary } from '../../server/src/lsp/protocol';
import { FULL_CAPABILITIES, LspServer, makeWorkspace, removeWorkspace } from './client';
import { LOCKBOX, LOCKBOX_FIXED, LOCKBOX_PATH, RULE_ID } from './fixtures';

const WITH_PROGRESS: ClientCapabilities = { ...FULL_CAPABILITIES, window: { workDoneProgress: true } };
/** A Rails app whose Gemfile names no gem with conventional key lookups, so only env forks are found. */
const RAILS_APP: Record<string, string> = {
  Gemfile: 'source "https://rubygems.org"\n',
  'config/application.rb': 'require_relative "boot"\nmodule App\n  class Application < Rails::Application\n  end\nend\n',
};
const SENTRY_PATH = 'config/initializers/sentry.rb';
const SENTRY = 'Sentry.init do |config|\n  config.dsn = Rails.env.production? ? ENV["SENTRY_DSN"] : nil\nend\n';

interface ProgressValue {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  cancellable?: boolean;
}

suite('lsp: workspace audit', () => {
  let root: string;
  let server: LspServer;
  let progress: { token: string | number; value: ProgressValue }[];

  async function start(files: Record<string, string>, initializationOptions?: unknown): Promise<void> {
    root = makeWorkspace(files);
    await restart(initializationOptions);
  }

  /** A new server on the same folder, as after a window reload. */
  let restored: Promise<AuditSummary>;
  async function restart(initializationOptions?: unknown): Promise<void> {
    server = LspServer.start('node-ipc');
    const s = server;
    restored = new Promise((resolve) => s.connection.onNotification('initaudit/auditRestored', resolve));
    progress = [];
    server.connection.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
      progress.push(p);
    });
    await server.initialize(root, WITH_PROGRESS, initializationOptions);
  }

  /** Everything the server sent before this returns has arrived (messages are ordered). */
  const barrier = (): Promise<unknown> => server.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri('none.rb') }, position: { line: 0, character: 0 } });

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  const uri = (rel: string): string => pathToFileURL(join(root, rel)).href;
  const auditDiagnostics = (rel: string, from = 0): PublishDiagnosticsParams | undefined =>
    server.diagnostics.slice(from).findLast((p) => p.uri === uri(rel));

  test('findings of files that are not open go to Problems, labelled as when open, with progress from the start', async () => {
    await start({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX, [SENTRY_PATH]: SENTRY });
    const summary = await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, 4, 'Gemfile, application.rb, lockbox.rb and sentry.rb');
    assert.equal(summary.discovered, 4);
    assert.equal(summary.findings, 1);
    assert.equal(summary.bySeverity.error, 1);
    const published = await server.waitFor(() => auditDiagnostics(LOCKBOX_PATH), 'audit diagnostics for lockbox.rb');
    const [diagnostic] = published.diagnostics as [Diagnostic];
    assert.equal(published.diagnostics.length, 1);
    // One label, whether the file is open or not.
    assert.equal(diagnostic.source, 'initaudit');
    assert.equal(diagnostic.code, RULE_ID);
    assert.equal(auditDiagnostics(SENTRY_PATH), undefined, 'a benign fork publishes nothing');
    const kinds = progress.map((p) => p.value.kind);
    assert.deepEqual([kinds[0], kinds.at(-1)], ['begin', 'end']);
    assert.equal(progress[0]?.value.cancellable, true);
    // From the start, while files are found; at the end, while Problems fills.
    assert.equal(progress[0]?.value.message, 'finding files…');
    assert.equal(progress.at(-2)?.value.message, 'showing 1 finding in Problems…');
    // One log line for the audit, with plurals.
    assert.deepEqual(server.logs.map((l) => l.message).filter((m) => m.includes('workspace audit')).map((m) => m.replace(/\d+ ms/, 'N ms')), [
      'initaudit: workspace audit finished in N ms: 4 files, 1 finding (1 error)',
    ]);
    assert.ok(
      progress.some((p) => /^\d+\/4 files$/.test(p.value.message ?? '')),
      `progress counts files: ${JSON.stringify(progress)}`,
    );

    // Fixed on disk (no file event): the next audit clears it from Problems.
    writeFileSync(join(root, LOCKBOX_PATH), `${LOCKBOX_FIXED}\n`);
    const before = server.diagnostics.length;
    assert.equal((await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace')).findings, 0);
    assert.deepEqual((await server.nextDiagnostics(uri(LOCKBOX_PATH), before)).diagnostics, []);
  });

  test('an open file shows live diagnostics; when it closes it goes back to the audit, re-read from disk', async () => {
    await start({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX });
    await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
    await server.waitFor(() => auditDiagnostics(LOCKBOX_PATH), 'audit diagnostics');

    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    const live = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.deepEqual(
      live.map((d) => d.source),
      ['initaudit'],
      'one set per file: the live one replaces the audit one',
    );

    // Fixed and saved while open: after closing, the audit's entry reflects the file on disk.
    writeFileSync(join(root, LOCKBOX_PATH), `${LOCKBOX_FIXED}\n`);
    const before = server.diagnostics.length;
    await server.close(doc);
    const after = await server.nextDiagnostics(doc.uri, before);
    assert.deepEqual(after.diagnostics, []);
  });

  test('closing a file that is still broken on disk brings its audit finding back', async () => {
    await start({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX });
    await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
    const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
    await server.waitForDiagnostics(doc.uri, doc.version);
    const before = server.diagnostics.length;
    await server.close(doc);
    const after = await server.nextDiagnostics(doc.uri, before);
    assert.deepEqual(
      after.diagnostics.map((d) => [d.source, d.code]),
      [['initaudit', RULE_ID]],
    );
  });

  test('a file changed on disk while closed is re-analysed', async () => {
    await start({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX });
    await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
    await server.waitFor(() => auditDiagnostics(LOCKBOX_PATH), 'audit diagnostics');
    const before = server.diagnostics.length;
    writeFileSync(join(root, LOCKBOX_PATH), `${LOCKBOX_FIXED}\n`);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(LOCKBOX_PATH), type: 2 }] });
    const after = await server.nextDiagnostics(uri(LOCKBOX_PATH), before);
    assert.deepEqual(after.diagnostics, []);
  });

  test('the report: SARIF and a Markdown summary with the benign env forks and why', async () => {
    await start({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX, [SENTRY_PATH]: SENTRY });
    // No audit yet: the report request runs one.
    const report = await server.connection.sendRequest<AuditReport>('initaudit/auditReport');
    const sarif = JSON.parse(report.sarif) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(
      sarif.runs.flatMap((r) => r.results.map((x) => [x.ruleId, x.locations[0]?.physicalLocation.artifactLocation.uri])),
      [[RULE_ID, LOCKBOX_PATH]],
    );
    const md = report.markdown;
    assert.match(md, /^# Initaudit audit report/);
    assert.match(md, /4 files audited, 1 finding \(1 error\), 1 env fork judged benign/);
    assert.match(md, new RegExp(`\\| \`${RULE_ID}\` \\| 1 \\| 1 \\|`));
    assert.match(md, /### `config\/initializers\/lockbox\.rb`\n\n- line 1, error, `env-forked-nil-secret`: /);
    assert.match(md, /\| `config\/initializers\/sentry\.rb` \| 2 \| `config\.dsn` \| `env-forked-nil-secret` \| error reporter: without a key it only drops events \|/);
  });

  test('a multi-root workspace is audited folder by folder, a nested folder once', async () => {
    const api = makeWorkspace({ 'src/config.ts': 'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n' });
    root = makeWorkspace({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX });
    try {
      server = LspServer.start('stdio');
      progress = [];
      const folderOf = (path: string): { uri: string; name: string } => ({ uri: pathToFileURL(path).href, name: path });
      await server.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        // The Rails app's config folder is also a folder of its own: its files are audited once.
        workspaceFolders: [folderOf(root), folderOf(api), folderOf(join(root, 'config'))],
        capabilities: WITH_PROGRESS,
      });
      await server.connection.sendNotification('initialized', {});
      const summary = await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
      assert.deepEqual(summary.folders, [root, api]);
      assert.equal(summary.findings, 2);
      const report = await server.connection.sendRequest<AuditReport>('initaudit/auditReport');
      const sarif = JSON.parse(report.sarif) as { runs: { results: unknown[] }[] };
      assert.deepEqual(
        sarif.runs.map((r) => r.results.length),
        [1, 1],
        'one SARIF run per folder',
      );
      // Multi-root: files are named with their folder's name.
      assert.ok(report.markdown.includes(`### \`${basename(api)}/src/config.ts\``), report.markdown);

      // Removing a folder takes its files out of Problems.
      const apiConfig = pathToFileURL(join(api, 'src/config.ts')).href;
      assert.equal(server.diagnostics.findLast((p) => p.uri === apiConfig)?.diagnostics.length, 1);
      const before = server.diagnostics.length;
      await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folderOf(api)] } });
      assert.deepEqual((await server.nextDiagnostics(apiConfig, before)).diagnostics, []);
    } finally {
      removeWorkspace(api);
    }
  });

  test('a file opened while an audit runs gets its diagnostics before the audit ends', async function () {
    this.timeout(60_000);
    const files: Record<string, string> = { ...RAILS_APP };
    for (let i = 0; i < 2000; i++) files[`config/initializers/key_${i}.rb`] = `Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :key_${i})\n`;
    // In-process analysis (no worker threads): the case where the audit shares the server's thread.
    const workers = process.env['INITAUDIT_WORKERS'];
    process.env['INITAUDIT_WORKERS'] = '0';
    try {
      await start(files);
    } finally {
      if (workers === undefined) delete process.env['INITAUDIT_WORKERS'];
      else process.env['INITAUDIT_WORKERS'] = workers;
    }
    const begun = new Promise<void>((resolve) => {
      server.connection.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
        progress.push(p);
        if (p.value.kind === 'begin') resolve();
      });
    });
    let auditEnded = false;
    const done = server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace').then((s) => {
      auditEnded = true;
      return s;
    });
    await begun;
    const doc = await server.open(join(root, 'config/initializers/edited.rb'), 'ruby', LOCKBOX);
    const live = await server.waitForDiagnostics(doc.uri, doc.version, 0);
    assert.equal(auditEnded, false, 'the edited file did not wait for the audit');
    assert.equal(live.length, 1);
    assert.equal((await done).cancelled, false);
  });

  test("with the client's workDoneToken, progress goes to that token and cancelling the request stops the audit", async function () {
    this.timeout(60_000);
    const files: Record<string, string> = { ...RAILS_APP };
    for (let i = 0; i < 1000; i++) files[`config/initializers/key_${i}.rb`] = `Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :key_${i})\n`;
    await start(files);
    const cancel = new CancellationTokenSource();
    server.connection.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
      progress.push(p);
      if (p.value.kind === 'report') cancel.cancel();
    });
    const summary = await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace', { workDoneToken: 'client-token' }, cancel.token);
    assert.equal(summary.cancelled, true);
    assert.ok(progress.length > 0 && progress.every((p) => p.token === 'client-token'), JSON.stringify(progress.slice(0, 3)));
    assert.ok(!server.serverRequests.includes('window/workDoneProgress/create'), 'no server-initiated progress');
    assert.deepEqual([progress[0]?.value.kind, progress.at(-1)?.value.kind], ['begin', 'end']);
  });

  test('cancelling from the progress UI stops the audit and says so', async function () {
    this.timeout(60_000);
    const files: Record<string, string> = { ...RAILS_APP };
    for (let i = 0; i < 1000; i++) files[`config/initializers/key_${i}.rb`] = `Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :key_${i})\n`;
    await start(files);
    // Cancel as the first progress report arrives, as a user clicking Cancel on the notification.
    const cancelled = new Promise<void>((resolve) => {
      server.connection.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
        progress.push(p);
        if (p.value.kind === 'report') void server.connection.sendNotification('window/workDoneProgress/cancel', { token: p.token }).then(resolve);
      });
    });
    const done = server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
    await cancelled;
    const summary = await done;
    assert.equal(summary.cancelled, true, JSON.stringify({ summary, progress: progress.length }));
    assert.ok(summary.findings < 1000, `stopped early: ${summary.findings} findings`);
    assert.equal(summary.discovered, 1002);
    assert.equal(summary.shownFrom, undefined, 'no audit before it');
    assert.equal(progress.at(-1)?.value.kind, 'end');
    // Partial results are discarded: none arrive, then or later.
    await barrier();
    assert.deepEqual(server.diagnostics.filter((p) => p.uri.includes('/key_')), []);
    assert.match(server.logText(), /workspace audit cancelled after \d+ of 1002 files in \d+ ms; its results were discarded/);
  });

  test('a cancelled audit leaves the previous one in Problems, unchanged', async function () {
    this.timeout(60_000);
    const files: Record<string, string> = { ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX };
    for (let i = 0; i < 1000; i++) files[`config/initializers/key_${i}.rb`] = `Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :key_${i})\n`;
    await start(files);
    const first = await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
    assert.equal(first.findings, 1001);
    await barrier();
    const before = server.diagnostics.length;
    const cancel = new CancellationTokenSource();
    server.connection.onNotification('$/progress', (p: { value: ProgressValue }) => {
      if (p.value.kind === 'report') cancel.cancel();
    });
    const second = await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace', { workDoneToken: 'again' }, cancel.token);
    assert.equal(second.cancelled, true);
    assert.equal(second.shownFrom, first.finishedAt, 'Problems shows the first audit');
    await barrier();
    assert.deepEqual(server.diagnostics.slice(before), [], 'nothing republished, nothing cleared');
  });

  test('after a reload the last audit is in Problems again; a file changed since is re-checked', async () => {
    const storage = makeWorkspace({});
    try {
      await start({ ...RAILS_APP, [LOCKBOX_PATH]: LOCKBOX, [SENTRY_PATH]: SENTRY.replace('Sentry.init', 'Stripe.api_key = Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key)\nSentry.init') }, { storageDir: storage });
      const summary = await server.connection.sendRequest<AuditSummary>('initaudit/auditWorkspace');
      assert.equal(summary.findings, 2);
      await server.dispose();
      // Fixed on disk while the editor was closed.
      writeFileSync(join(root, SENTRY_PATH), SENTRY);

      await restart({ storageDir: storage });
      assert.equal((await restored).finishedAt, summary.finishedAt);
      const lockbox = await server.waitFor(() => auditDiagnostics(LOCKBOX_PATH), 'the kept audit diagnostics');
      assert.deepEqual(lockbox.diagnostics.map((d) => [d.source, d.code]), [['initaudit', RULE_ID]]);
      assert.deepEqual((await server.waitFor(() => auditDiagnostics(SENTRY_PATH), 'the re-checked file')).diagnostics, []);
    } finally {
      removeWorkspace(storage);
    }
  });
});
