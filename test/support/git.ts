// Real git repositories for tests of --since: created in a temp folder, committed with a fixed
// identity and dates, never touching the user's git configuration.

import { spawnSync } from 'node:child_process';

const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'initaudit tests',
  GIT_AUTHOR_EMAIL: 'tests@initaudit.invalid',
  GIT_COMMITTER_NAME: 'initaudit tests',
  GIT_COMMITTER_EMAIL: 'tests@initaudit.invalid',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Makes `root` a repository on branch main. */
export function gitInit(root: string): void {
  git(root, 'init', '-q', '-b', 'main');
}

/** Stages everything (deletions too) and commits; returns the commit. */
export function commitAll(root: string, message: string): string {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
}
