// What git knows about the audited folder, for rules that grade evidence by history (a credentials
// file the change deletes, or one committed before). Read-only git commands, run by the CLI only:
// the engine never shells out. Outside a git checkout, or when git is missing, nothing is known.

import { execFileSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import type { FileHistory } from '../core/types';

const CREDENTIALS_PATHSPECS = [':(glob)**/config/credentials.yml.enc', ':(glob)**/config/credentials/*.yml.enc'];

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-c', 'core.quotepath=off', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
      maxBuffer: 64 * 1024 * 1024,
      // Never take locks or ask questions: this is a read-only look.
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    });
  } catch {
    return undefined;
  }
}

function lines(out: string | undefined): string[] {
  return (out ?? '').split('\n').filter(Boolean);
}

/**
 * Files the change deletes (the working tree and index against `base`, HEAD by default) and the
 * credentials files ever committed. Undefined outside a git work tree.
 */
export function gitHistory(root: string, base = 'HEAD'): FileHistory | undefined {
  const top = git(root, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top || !isAbsolute(top)) return undefined;
  const abs = (p: string): string => join(top, p);
  // A repository with no commit yet has no HEAD: nothing was deleted, nothing committed.
  if (git(top, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]) === undefined) return { deleted: [], committed: [] };
  const deleted = lines(git(top, ['diff', '--name-only', '--diff-filter=D', '--no-renames', base, '--'])).map(abs);
  const committed = [...new Set(lines(git(top, ['log', '--all', '--format=', '--name-only', '--diff-filter=A', '--', ...CREDENTIALS_PATHSPECS])))].map(abs);
  return { deleted, committed };
}
