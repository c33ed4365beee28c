// The extension in a real VS Code, on a copy of examples/ (the runner opens it as the workspace):
// squiggles on open, hover, the quick fix through VS Code's own code action command, the
// workspace audit filling Problems, the exported report, and a suppression comment. Every wait
// polls for the state a user would see; nothing sleeps for a fixed time.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'initaudit.initaudit';
const RULE = 'env-forked-nil-secret';
const LOCKBOX = 'rails-app/config/initializers/lockbox.rb';
const STRIPE = 'rails-app/config/initializers/stripe.rb';
const JWT = 'ts-service/src/auth/jwt.ts';
const STORAGE = 'rails-chamber-migration/config/storage.yml';

interface AuditSummary {
  files: number;
  findings: number;
  cancelled: boolean;
}

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner opens a copy of examples/ as the workspace');
  return f.uri;
}

const fileUri = (rel: string): vscode.Uri => vscode.Uri.joinPath(folder(), ...rel.split('/'));

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' ? String(c.value) : c === undefined ? undefined : String(c);
}

const ours = (uri: vscode.Uri, source?: string): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => (source ? d.source === source : d.source?.startsWith('initaudit') === true));

/** Polls `probe` until it returns a value, re-checking on every diagnostics change and every 100 ms. */
async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics(() => done());
      const timer = setTimeout(() => done(), 100);
      function done(): void {
        sub.dispose();
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

suite('initaudit in VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is loaded from the development path`);
    await ext.activate();
    console.log(`[initaudit-e2e] VS Code ${vscode.version}, node ${process.version}, workspace ${folder().fsPath}`);
  });

  test('opening an initializer shows the finding as a diagnostic', async () => {
    const editor = await open(LOCKBOX);
    const [d] = await waitFor('a diagnostic on lockbox.rb', () => {
      const found = ours(editor.document.uri).filter((x) => codeOf(x) === RULE);
      return found.length ? found : undefined;
    });
    assert.ok(d);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, 'initaudit');
    assert.match(d.message, /^Secret "Lockbox\.master_key" is nil in test/);
    assert.equal(editor.document.getText(d.range), 'Lockbox.master_key');
  });

  test('hovering the finding explains the rule and links its documentation', async () => {
    const uri = fileUri(LOCKBOX);
    const [d] = await waitFor('the lockbox diagnostic', () => {
      const found = ours(uri).filter((x) => codeOf(x) === RULE);
      return found.length ? found : undefined;
    });
    assert.ok(d);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, d.range.start.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Initaudit: Secret forked to nil by environment/);
    assert.match(text, /\[Documentation for env-forked-nil-secret\]\(https:\/\/github\.com\/initaudit\/initaudit\/blob\/main\/docs\/rules\/env-forked-nil-secret\.md\)/);
  });

  test('the quick fix from the code action provider rewrites the initializer and adds the test dummy', async () => {
    const editor = await open(LOCKBOX);
    const uri = editor.document.uri;
    const [d] = await waitFor('the lockbox diagnostic', () => {
      const found = ours(uri).filter((x) => codeOf(x) === RULE);
      return found.length ? found : undefined;
    });
    assert.ok(d);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Use an explicit env key'));
    assert.ok(fix?.edit, `a quick fix with an edit among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'VS Code applied the edit');

    // The texts as VS Code holds them (the edit leaves dirty buffers, as a quick fix does for a user).
    assert.match(editor.document.getText(), /^Lockbox\.master_key = ENV\["LOCKBOX_MASTER_KEY"\] \|\| Chamber\.dig\(:lockbox, :master_key\)$/m);
    const testRb = await vscode.workspace.openTextDocument(fileUri('rails-app/config/environments/test.rb'));
    assert.match(testRb.getText(), /^ENV\["LOCKBOX_MASTER_KEY"\] \|\|= /m, 'the fix created config/environments/test.rb with a dummy key');
    assert.ok(await vscode.workspace.saveAll(false), 'saved');
    await waitFor('the finding to go away', () => (ours(uri).some((x) => codeOf(x) === RULE) ? undefined : true));
  });

  test('"Audit Workspace" fills Problems for files that are not open, as its own source', async () => {
    const summary = await vscode.commands.executeCommand<AuditSummary | undefined>('initaudit.auditWorkspace');
    assert.ok(summary, 'the command returns the audit summary');
    assert.equal(summary.cancelled, false);
    assert.ok(summary.files >= 30, `audited the examples: ${summary.files} files`);
    const jwt = await waitFor('audit diagnostics on jwt.ts', () => {
      const found = ours(fileUri(JWT), 'initaudit (audit)');
      return found.length ? found : undefined;
    });
    assert.deepEqual(
      jwt.map((d) => [codeOf(d), d.severity]),
      [[RULE, vscode.DiagnosticSeverity.Error]],
    );
    const storage = ours(fileUri(STORAGE), 'initaudit (audit)').map(codeOf);
    assert.deepEqual(storage, ['credentials-file-missing', 'credentials-file-missing']);
    // lockbox.rb is open (live diagnostics win) and fixed: nothing, and no duplicate from the audit.
    assert.deepEqual(ours(fileUri(LOCKBOX)), []);
    const total = vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((d) => d.source?.startsWith('initaudit')).length, 0);
    assert.equal(total, summary.findings, 'every finding of the audit is in Problems once');
  });

  test('"Export Audit Report" writes SARIF and a Markdown summary with the benign forks', async () => {
    const target = vscode.Uri.joinPath(folder(), 'initaudit-report.sarif');
    const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>('initaudit.exportReport', target);
    assert.ok(written, 'the command reports the files it wrote');
    const sarif = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs.flatMap((r) => r.results).some((r) => r.ruleId === RULE));
    const md = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder(), 'initaudit-report.md')));
    assert.match(md, /^# Initaudit audit report/);
    assert.match(md, /## Findings by rule/);
    assert.match(md, /### `ts-service\/src\/auth\/jwt\.ts`/);
    assert.match(md, /\| `rails-app\/config\/initializers\/sentry\.rb` \| \d+ \| `[^`]+` \| `env-forked-nil-secret` \| error reporter: without a key it only drops events \|/);
  });

  test('a disable comment above the line silences the finding', async () => {
    const editor = await open(STRIPE);
    const uri = editor.document.uri;
    const [d] = await waitFor('the stripe diagnostic', () => {
      const found = ours(uri, 'initaudit').filter((x) => codeOf(x) === RULE);
      return found.length ? found : undefined;
    });
    assert.ok(d);
    const line = d.range.start.line;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(line, 0), `# initaudit:disable-next-line ${RULE} -- the Stripe contract test covers the key\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the finding to be suppressed', () => (ours(uri).length === 0 ? true : undefined), 30_000);
    assert.deepEqual(ours(uri), [], 'no finding and no unused-suppression report');
  });
});
