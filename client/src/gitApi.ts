// The part of VS Code's built-in git extension API (extension id `vscode.git`, API version 1) the
// lockfile comparison uses, declared here so the client needs no copy of its declaration file.
// Everything is read-only: `show` reads a file at a ref, the rest is state.

import type * as vscode from 'vscode';

/** RefType in the git extension: 0 a local branch, 1 a remote branch, 2 a tag. */
export interface GitRef {
  readonly type: number;
  readonly name?: string;
  readonly commit?: string;
  readonly remote?: string;
}

export interface GitChange {
  readonly uri: vscode.Uri;
}

export interface GitRepositoryState {
  readonly HEAD: GitRef | undefined;
  /** Present in older API versions; newer ones offer `Repository.getRefs`. */
  readonly refs?: readonly GitRef[];
  readonly workingTreeChanges: readonly GitChange[];
  readonly indexChanges: readonly GitChange[];
  readonly onDidChange: vscode.Event<void>;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: GitRepositoryState;
  /** The file's text at a ref; rejects when the ref or the file does not exist there. */
  show(ref: string, path: string): Promise<string>;
  /** Resolves a ref to its commit; rejects for an unknown ref. */
  getCommit(ref: string): Promise<{ readonly hash: string }>;
  getRefs?(query?: { pattern?: string; sort?: 'alphabetically' | 'committerdate'; count?: number }): Promise<readonly GitRef[]>;
}

export interface GitApi {
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
}

export interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}
