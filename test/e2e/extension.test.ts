// The extension in a real VS Code, on a copy of examples/ (the runner opens it as the workspace):
// squiggles on open, hover, the quick fix through VS Code's own code action command, the
// workspace audit filling Problems, the exported report, and a suppression comment. Every wait
// polls for the state a user would see; nothing sleeps for a fixed time.

import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'initaudit.initaudit';
const RULE = 'env-forked-nil-secret';
const LOCKBOX = 'rails-app/config/initializers/lockbox.rb';
const STRIPE = 'rails-app/config/initializers/stripe.rb';
const JWT = 'ts-service/src/auth/jwt.ts';
const STORAGE = 'rails-chamber-migration/config/storage.yml';
const TWILIO = 'rails-app/config/initializers/twilio.rb';

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

const exists = (uri: vscode.Uri): Thenable<boolean> => vscode.workspace.fs.stat(uri).then(
  () => true,
  () => false,
);

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

/**
 * Runs an editor command (the light bulb's preferred fix, Auto Fix) with the cursor at `at`, as a
 * user would, until `applied` holds: the command acts on the focused editor, which the workbench
 * may not have focused yet when the command first runs.
 */
async function applyInEditor(editor: vscode.TextEditor, at: vscode.Position, command: string, args: unknown, applied: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await vscode.window.showTextDocument(editor.document, { preview: false, preserveFocus: false });
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand(command, args);
    try {
      await waitFor(`${command} to apply the fix`, async () => ((await applied()) ? true : undefined), 5_000);
      return;
    } catch (e) {
      if (attempt === 4) throw e;
    }
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

  test('a fix that creates a file is one undo step, every time: apply, undo, apply, undo', async () => {
    const editor = await open(LOCKBOX);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const testRb = fileUri('rails-app/config/environments/test.rb');
    assert.equal(await exists(testRb), false, 'the example app has no test.rb');
    // Once from the light bulb's preferred fix, once with Auto Fix (Shift+Alt+.): both as VS Code applies code actions.
    for (const [round, command, args] of [
      [1, 'editor.action.codeAction', { kind: 'quickfix', apply: 'first', preferred: true }],
      [2, 'editor.action.autoFix', undefined],
    ] as const) {
      const [d] = await waitFor(`the lockbox diagnostic (round ${round})`, () => {
        const found = ours(uri).filter((x) => codeOf(x) === RULE);
        return found.length ? found : undefined;
      });
      assert.ok(d);
      await applyInEditor(editor, d.range.start, command, args, async () => editor.document.getText() !== original && (await exists(testRb)));
      // As a user sees it before pressing Ctrl+Z: the files saved (VS Code saves every file of a
      // multi-file edit: files.refactoring.autoSave, on by default).
      if (vscode.workspace.getConfiguration('files').get<boolean>('refactoring.autoSave') !== false) {
        await waitFor(`the fixed files to be saved (round ${round})`, () => (editor.document.isDirty ? undefined : true), 10_000);
      }
      await vscode.window.showTextDocument(editor.document, { preview: false });
      await vscode.commands.executeCommand('undo');
      await waitFor(`one undo to restore the initializer and remove test.rb (round ${round})`, async () => (editor.document.getText() === original && !(await exists(testRb)) ? true : undefined), 10_000);
      assert.ok(!vscode.workspace.textDocuments.some((t) => t.uri.toString() === testRb.toString() && t.isDirty), 'no unsaved test.rb left behind');
    }
    // VS Code saves every file of a multi-file edit (files.refactoring.autoSave); the undo is unsaved.
    const onDisk = async (): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    await waitFor('the undone initializer to be unsaved, or saved', async () => (editor.document.isDirty || (await onDisk()) === original ? true : undefined), 10_000);
    if (editor.document.isDirty) assert.ok(await editor.document.save());
    assert.equal(await onDisk(), original);
  });

  test('the quick fix names the file it creates, and creates it with the test dummy', async () => {
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
    assert.equal(fix.title, 'Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"]; also creates rails-app/config/environments/test.rb)', 'the title names the created file');
    // Applied as the light bulb applies it: the edit, then the action's command.
    const before = editor.document.getText();
    await applyInEditor(editor, d.range.start, 'editor.action.codeAction', { kind: 'quickfix', apply: 'first', preferred: true }, () => editor.document.getText() !== before);

    const testRbUri = fileUri('rails-app/config/environments/test.rb');
    assert.match(editor.document.getText(), /^Lockbox\.master_key = ENV\["LOCKBOX_MASTER_KEY"\] \|\| Chamber\.dig\(:lockbox, :master_key\)$/m);
    const testRb = await vscode.workspace.openTextDocument(testRbUri);
    assert.match(testRb.getText(), /^ENV\["LOCKBOX_MASTER_KEY"\] \|\|= /m, 'the fix created config/environments/test.rb with a dummy key');
    // It is revealed in the Explorer, with the focus back in the initializer: the UI check sees that.
    // Both files the fix touched are saved: VS Code saves a multi-file edit itself
    // (files.refactoring.autoSave, on by default), else we do. A save racing VS Code's own fails.
    const touched = [editor.document, testRb];
    if (vscode.workspace.getConfiguration('files').get<boolean>('refactoring.autoSave') !== false) {
      await waitFor('VS Code to save the fixed files', () => (touched.some((d) => d.isDirty) ? undefined : true), 10_000);
    }
    for (const d of touched) {
      if (d.isDirty) assert.ok(await d.save(), `saved ${d.uri.path}`);
    }
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.path);
    assert.deepEqual(dirty, [], 'nothing left unsaved');
    await waitFor('the finding to go away', () => (ours(uri).some((x) => codeOf(x) === RULE) ? undefined : true));
  });

  test('"Audit Workspace" fills Problems for files that are not open, labelled as open files are', async () => {
    const summary = await vscode.commands.executeCommand<AuditSummary | undefined>('initaudit.auditWorkspace');
    assert.ok(summary, 'the command returns the audit summary');
    assert.equal(summary.cancelled, false);
    assert.ok(summary.files >= 30, `audited the examples: ${summary.files} files`);
    const jwt = await waitFor('audit diagnostics on jwt.ts', () => {
      const found = ours(fileUri(JWT));
      return found.length ? found : undefined;
    });
    assert.deepEqual(
      jwt.map((d) => [codeOf(d), d.severity, d.source]),
      [[RULE, vscode.DiagnosticSeverity.Error, 'initaudit']],
    );
    const storage = ours(fileUri(STORAGE)).map(codeOf);
    assert.deepEqual(storage, ['credentials-file-missing', 'credentials-file-missing']);
    // lockbox.rb is open (live diagnostics win) and fixed: nothing, and no duplicate from the audit.
    assert.deepEqual(ours(fileUri(LOCKBOX)), []);
    const total = vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((d) => d.source?.startsWith('initaudit')).length, 0);
    assert.equal(total, summary.findings, 'every finding of the audit is in Problems once');
  });

  test('after the language server restarts (as after a reload), the last audit is in Problems again', async () => {
    const before = ours(fileUri(JWT));
    assert.equal(before.length, 1, 'the audit above left jwt.ts in Problems');
    await vscode.commands.executeCommand('initaudit.restartServer');
    // Stopping clears the server's diagnostics; the new server shows the kept audit without a new one.
    const again = await waitFor('jwt.ts back in Problems', () => {
      const found = ours(fileUri(JWT));
      return found.length ? found : undefined;
    });
    assert.deepEqual(again.map((d) => [codeOf(d), d.message]), before.map((d) => [codeOf(d), d.message]));
    assert.deepEqual(ours(fileUri(STORAGE)).map(codeOf), ['credentials-file-missing', 'credentials-file-missing']);
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

  test('"Show documentation" opens the rule\'s page shipped with the extension in the Markdown preview', async () => {
    const editor = await open(TWILIO);
    const uri = editor.document.uri;
    const [d] = await waitFor('a twilio diagnostic', () => {
      const found = ours(uri).filter((x) => codeOf(x) === RULE);
      return found.length ? found : undefined;
    });
    assert.ok(d);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const docs = actions.find((a) => a.title === `Show documentation for ${RULE}`);
    assert.ok(docs?.command, actions.map((a) => a.title).join(' | '));
    await vscode.commands.executeCommand(docs.command.command, ...(docs.command.arguments ?? []));
    const preview = await waitFor('the Markdown preview of the rule page', () => {
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview') && t.label.includes(RULE));
      return tab;
    });
    assert.match(preview.label, new RegExp(`${RULE}\\.md`));
  });

  test('a misspelt key in .initaudit.yml: "did you mean", and a quick fix that renames it', async () => {
    const config = fileUri('.initaudit.yml');
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode('exclued:\n  - legacy\n'));
    try {
      const editor = await open('.initaudit.yml');
      const [d] = await waitFor('the problem in .initaudit.yml', () => {
        const found = ours(config);
        return found.length ? found : undefined;
      });
      assert.ok(d);
      assert.equal(d.message, 'Unknown setting "exclued": did you mean "exclude"?');
      assert.equal(editor.document.getText(d.range), 'exclued');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', config, d.range, vscode.CodeActionKind.QuickFix.value);
      const rename = actions.find((a) => a.title === 'Rename "exclued" to "exclude"');
      assert.ok(rename?.edit, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(rename.edit));
      assert.equal(editor.document.getText(), 'exclude:\n  - legacy\n');
      await waitFor('the problem to go as soon as the key is right', () => (ours(config).length === 0 ? true : undefined));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(config);
    }
  });

  test('a loose file outside the folder, in no app, gets only the rewrite of itself', async () => {
    const dir = vscode.Uri.file(join(tmpdir(), `initaudit-e2e-loose-${process.pid}`));
    const file = vscode.Uri.joinPath(dir, 'payments.rb');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('Stripe.api_key = Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key)\n'));
    try {
      assert.equal(vscode.workspace.getWorkspaceFolder(file), undefined);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
      const [d] = await waitFor('the loose file\'s diagnostic', () => {
        const found = ours(file).filter((x) => codeOf(x) === RULE);
        return found.length ? found : undefined;
      });
      assert.ok(d);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, d.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.title.startsWith('Use an explicit env key'));
      assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
      assert.equal(fix.title, 'Use an explicit env key (ENV["STRIPE_API_KEY"])');
      assert.equal(fix.edit.size, 1, 'one file touched: the loose file, no config/environments/test.rb next to it');
      assert.deepEqual(fix.edit.entries().map(([u]) => u.toString()), [file.toString()]);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(dir, { recursive: true });
    }
  });
});
