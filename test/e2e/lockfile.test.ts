// The lockfile comparison in a real VS Code: the base of Gemfile.lock comes from VS Code's built-in
// git extension (the runner starts with git disabled; this suite turns it on, then off again), and
// "Initaudit: Compare Lockfile with Branch…" compares with a tag. examples/rails-upgrade is made a
// repository whose tag `before-upgrade` holds the lockfile before the Rails 8.0 upgrade.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

const RULE = 'lockfile-major-drift';
const APP = 'rails-upgrade';

interface GitApiLike {
  repositories: readonly { rootUri: vscode.Uri }[];
}

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner opens a copy of examples/ as the workspace');
  return f.uri;
}

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'grammars'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@initaudit.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@initaudit.invalid', GIT_CONFIG_NOSYSTEM: '1' },
    stdio: 'ignore',
  });
}

const codeOf = (d: vscode.Diagnostic): string | undefined => (typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code));
const drift = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === RULE);

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('lockfile comparison through the git extension', () => {
  let app: string;
  let lockUri: vscode.Uri;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('initaudit.initaudit')?.activate();
    app = join(folder().fsPath, APP);
    lockUri = vscode.Uri.file(join(app, 'Gemfile.lock'));
    const upgraded = { gemfile: readFileSync(join(app, 'Gemfile'), 'utf8'), lock: readFileSync(join(app, 'Gemfile.lock'), 'utf8') };
    const before = join(repoRoot(), 'test', 'fixtures', 'since', APP);
    writeFileSync(join(app, 'Gemfile'), readFileSync(join(before, 'Gemfile')));
    writeFileSync(join(app, 'Gemfile.lock'), readFileSync(join(before, 'Gemfile.lock')));
    git(app, 'init', '-q', '-b', 'main');
    git(app, 'add', '-A');
    git(app, 'commit', '-q', '-m', 'before the upgrade');
    git(app, 'tag', 'before-upgrade');
    writeFileSync(join(app, 'Gemfile'), upgraded.gemfile);
    writeFileSync(join(app, 'Gemfile.lock'), upgraded.lock);
    git(app, 'commit', '-q', '-am', 'upgrade to Rails 8.0');
    await vscode.workspace.getConfiguration('git').update('enabled', true, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('git').update('enabled', undefined, vscode.ConfigurationTarget.Global);
    rmSync(join(app, '.git'), { recursive: true, force: true });
  });

  test('the open lockfile is compared with HEAD: the committed upgrade still shows the known-incompatible pair', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(lockUri), { preview: false });
    const gitApi = (): GitApiLike | undefined => {
      const ext = vscode.extensions.getExtension<{ enabled: boolean; getAPI(v: 1): GitApiLike }>('vscode.git');
      return ext?.isActive && ext.exports.enabled ? ext.exports.getAPI(1) : undefined;
    };
    await waitFor('the git extension to open the repository', () => (gitApi()?.repositories.some((r) => r.rootUri.fsPath === app) ? true : undefined));
    const found = await waitFor('the connection_pool error', () => {
      const ds = drift(lockUri);
      return ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error) ? ds : undefined;
    });
    assert.match(found.find((d) => d.severity === vscode.DiagnosticSeverity.Error)!.message, /"connection_pool" 3\.0\.2 breaks "sidekiq" 7\.3\.9/);
  });

  test('"Compare Lockfile with Branch…" with the tag before the upgrade shows the drift', async () => {
    await vscode.commands.executeCommand('initaudit.compareLockfileWithBranch', lockUri, 'before-upgrade');
    const found = await waitFor('drift against before-upgrade', () => {
      const ds = drift(lockUri);
      return ds.some((d) => /test tooling/.test(d.message)) ? ds : undefined;
    });
    assert.deepEqual(
      found.map((d) => [d.severity, d.message.replace(/ crosses.*| breaks.*/, '')]),
      [
        [vscode.DiagnosticSeverity.Error, 'Gem "connection_pool" 2.4.1 → 3.0.2'],
        [vscode.DiagnosticSeverity.Information, 'Gem "minitest" 5.22.3 → 6.0.1'],
        [vscode.DiagnosticSeverity.Information, 'Gem "rdoc" 6.6.3.1 → 7.0.3'],
      ],
    );
  });
});
