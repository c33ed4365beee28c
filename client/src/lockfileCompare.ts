// Lockfile comparison in the editor: the base of each open or changed lockfile (Gemfile.lock,
// package-lock.json) is read here, through VS Code's built-in git extension, and sent to the server
// (initaudit/lockfileBase), so a `bundle update` is flagged before it is committed. The base is
// HEAD unless "Initaudit: Compare Lockfile with Branch…" picked another ref for that lockfile.
// The server never runs git; without the git extension or a repository nothing is compared, and
// the server still reports known-incompatible pairs.

import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { LockfileBaseParams } from '../../server/src/lsp/protocol';
import type { GitApi, GitExtension, GitRef, GitRepository } from './gitApi';

// As declared in server/src/lsp/protocol.ts (only its types can be imported here).
const LOCKFILE_BASE_NOTIFICATION = 'initaudit/lockfileBase';
const LOCKFILE_NAMES = new Set(['Gemfile.lock', 'gems.locked', 'package-lock.json', 'npm-shrinkwrap.json']);
const LOCKFILE_GLOB = '**/{Gemfile.lock,gems.locked,package-lock.json,npm-shrinkwrap.json}';

/** Lockfiles the server analyses, for the client's document selector. */
export const LOCKFILE_SELECTOR = [{ scheme: 'file', pattern: LOCKFILE_GLOB }];

export const COMPARE_LOCKFILE_COMMAND = 'initaudit.compareLockfileWithBranch';

const REFRESH_DELAY_MS = 300;

function isLockfile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && LOCKFILE_NAMES.has(uri.path.slice(uri.path.lastIndexOf('/') + 1));
}

export class LockfileCompare implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly watched = new WeakSet<GitRepository>();
  /** The ref each lockfile is compared with, when the user picked one; HEAD otherwise. */
  private readonly refs = new Map<string, string>();
  /** What the server was last sent per lockfile, so unchanged bases are not resent. */
  private readonly sent = new Map<string, string>();
  private api: GitApi | undefined;
  private timer: NodeJS.Timeout | undefined;
  private warned = false;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => isLockfile(d.uri) && this.schedule()),
      vscode.workspace.onDidCloseTextDocument((d) => isLockfile(d.uri) && this.schedule()),
    );
  }

  /** Connects to the git extension (activating it if needed); false when it is missing or disabled. */
  async start(): Promise<boolean> {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) return this.unavailable('the built-in git extension is not installed');
    let git: GitExtension;
    try {
      git = extension.isActive ? extension.exports : await extension.activate();
    } catch (e) {
      return this.unavailable(`the git extension failed to activate: ${describe(e)}`);
    }
    if (!git.enabled) {
      this.subscriptions.push(git.onDidChangeEnablement((enabled) => enabled && void this.start()));
      return this.unavailable('git is disabled (git.enabled)');
    }
    this.api = git.getAPI(1);
    this.subscriptions.push(
      this.api.onDidOpenRepository((r) => this.watch(r)),
      this.api.onDidCloseRepository(() => this.schedule()),
    );
    for (const r of this.api.repositories) this.watch(r);
    this.schedule();
    return true;
  }

  /** The server restarted: it knows no bases, so send them all again. */
  resend(): void {
    this.sent.clear();
    this.schedule();
  }

  /**
   * "Initaudit: Compare Lockfile with Branch…": pick a lockfile (the active one if it is), then a ref.
   * Both can be given (tests, keybindings): `compareWithBranch(uri, "main")` asks nothing.
   */
  async compareWithBranch(target?: vscode.Uri, givenRef?: string): Promise<void> {
    if (!this.api && !(await this.start())) {
      void vscode.window.showWarningMessage('Initaudit: lockfiles can be compared only in a git repository, through the built-in git extension.');
      return;
    }
    const lockfile = target && isLockfile(target) ? target : await this.pickLockfile();
    if (!lockfile) return;
    const repo = this.repositoryOf(lockfile);
    if (!repo) {
      void vscode.window.showWarningMessage(`Initaudit: ${vscode.workspace.asRelativePath(lockfile)} is not in a git repository.`);
      return;
    }
    const ref = givenRef ?? (await this.pickRef(repo, lockfile));
    if (ref === undefined) return;
    this.refs.set(lockfile.toString(), ref);
    this.channel.info(`Comparing ${vscode.workspace.asRelativePath(lockfile)} with ${ref}.`);
    await this.refresh();
    await vscode.window.showTextDocument(lockfile, { preview: false });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }

  private unavailable(why: string): false {
    if (!this.warned) this.channel.info(`Lockfiles are not compared with git: ${why}. Known-incompatible pairs are still reported.`);
    this.warned = true;
    return false;
  }

  private watch(repo: GitRepository): void {
    if (this.watched.has(repo)) return;
    this.watched.add(repo);
    this.subscriptions.push(repo.state.onDidChange(() => this.schedule()));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch((e: unknown) => this.channel.error(`Initaudit: comparing lockfiles failed: ${describe(e)}`)), REFRESH_DELAY_MS);
  }

  /** Lockfiles worth comparing: open ones, and those git reports changed (a bundle update in a terminal). */
  private candidates(): vscode.Uri[] {
    const out = new Map<string, vscode.Uri>();
    for (const d of vscode.workspace.textDocuments) if (isLockfile(d.uri)) out.set(d.uri.toString(), d.uri);
    for (const r of this.api?.repositories ?? []) {
      for (const c of [...r.state.workingTreeChanges, ...r.state.indexChanges]) if (isLockfile(c.uri)) out.set(c.uri.toString(), c.uri);
    }
    for (const key of this.refs.keys()) out.set(key, vscode.Uri.parse(key));
    return [...out.values()];
  }

  private async refresh(): Promise<void> {
    const client = this.client();
    if (!this.api || !client?.isRunning()) return;
    const current = new Set<string>();
    for (const uri of this.candidates()) {
      const key = uri.toString();
      const repo = this.repositoryOf(uri);
      if (!repo) continue;
      const ref = this.refs.get(key) ?? 'HEAD';
      const text = await this.baseText(repo, ref, uri);
      if (text === undefined) continue;
      current.add(key);
      const params: LockfileBaseParams = { uri: key, ref, text };
      const stamp = `${ref}\0${text ?? '\0null'}`;
      if (this.sent.get(key) === stamp) continue;
      this.sent.set(key, stamp);
      await client.sendNotification(LOCKFILE_BASE_NOTIFICATION, params);
    }
    // Lockfiles no longer open nor changed: the server forgets their base (and clears their Problems).
    for (const key of [...this.sent.keys()]) {
      if (current.has(key)) continue;
      this.sent.delete(key);
      await client.sendNotification(LOCKFILE_BASE_NOTIFICATION, { uri: key } satisfies LockfileBaseParams);
    }
  }

  /** The lockfile at `ref`; null when the ref exists but the file does not; undefined when the ref cannot be read. */
  private async baseText(repo: GitRepository, ref: string, uri: vscode.Uri): Promise<string | null | undefined> {
    try {
      return await repo.show(ref, uri.fsPath);
    } catch {
      try {
        await repo.getCommit(ref);
        return null;
      } catch {
        // An unborn HEAD (no commit yet) or a ref that went away: nothing to compare with.
        return undefined;
      }
    }
  }

  /** The innermost repository containing the file. */
  private repositoryOf(uri: vscode.Uri): GitRepository | undefined {
    let best: GitRepository | undefined;
    for (const r of this.api?.repositories ?? []) {
      const rel = relative(r.rootUri.fsPath, uri.fsPath);
      const inside = rel !== '' && rel !== '..' && !rel.startsWith('../') && !rel.startsWith('..\\') && !isAbsolute(rel);
      if (inside && (!best || r.rootUri.fsPath.length > best.rootUri.fsPath.length)) best = r;
    }
    return best;
  }

  private async pickLockfile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isLockfile(active)) return active;
    const found = await vscode.workspace.findFiles(LOCKFILE_GLOB, '**/{node_modules,vendor}/**', 200);
    if (found.length === 1) return found[0];
    if (found.length === 0) {
      void vscode.window.showInformationMessage('Initaudit: no Gemfile.lock or package-lock.json in this workspace.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { title: 'Initaudit: Compare Lockfile with Branch', placeHolder: 'Lockfile to compare' },
    );
    return picked?.uri;
  }

  private async pickRef(repo: GitRepository, lockfile: vscode.Uri): Promise<string | undefined> {
    let refs: readonly GitRef[] = [];
    try {
      refs = repo.getRefs ? await repo.getRefs({ sort: 'committerdate' }) : (repo.state.refs ?? []);
    } catch (e) {
      this.channel.warn(`Initaudit: cannot list the branches of ${repo.rootUri.fsPath}: ${describe(e)}`);
    }
    const kinds = ['branch', 'remote branch', 'tag'];
    const items: (vscode.QuickPickItem & { ref: string })[] = [
      { label: 'HEAD', description: 'the last commit', ref: 'HEAD' },
      ...refs.filter((r) => r.name && r.type <= 1).map((r) => ({ label: r.name!, description: kinds[r.type] ?? '', ref: r.name! })),
      ...refs.filter((r) => r.name && r.type === 2).map((r) => ({ label: r.name!, description: 'tag', ref: r.name! })),
    ];
    const current = this.refs.get(lockfile.toString()) ?? 'HEAD';
    const picked = await vscode.window.showQuickPick(items, {
      title: `Initaudit: Compare ${vscode.workspace.asRelativePath(lockfile)} with…`,
      placeHolder: `Now compared with ${current}`,
      matchOnDescription: true,
    });
    return picked?.ref;
  }
}

/** Registers the command and starts comparing; returns what the extension must dispose. */
export function registerLockfileCompare(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, channel: vscode.LogOutputChannel): LockfileCompare {
  const compare = new LockfileCompare(client, channel);
  context.subscriptions.push(compare, vscode.commands.registerCommand(COMPARE_LOCKFILE_COMMAND, (target?: unknown, ref?: unknown) =>
      compare.compareWithBranch(target instanceof vscode.Uri ? target : undefined, typeof ref === 'string' ? ref : undefined),
    ));
  // A (re)started server knows no bases yet.
  const running = client()?.onDidChangeState((e) => e.newState === State.Running && compare.resend());
  if (running) context.subscriptions.push(running);
  void compare.start();
  return compare;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
