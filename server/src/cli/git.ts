// The CLI's only contact with git, for `--since <rev>`: read-only plumbing commands (rev-parse,
// ls-tree, cat-file) run with execFileSync, never a shell, never anything that writes. The engine
// never sees git: it gets the texts read here (core/change.ts).

import { execFileSync } from 'node:child_process';

/** Why git could not give what --since needs; the CLI prints it and exits 2. */
export class GitError extends Error {}

/** Larger blobs are not audited anyway (files/read-source.ts); skipping them keeps the read bounded. */
const MAX_BLOB_BYTES = 1024 * 1024;

function git(cwd: string, args: readonly string[], input?: string): Buffer {
  try {
    return execFileSync('git', args, {
      cwd,
      ...(input !== undefined ? { input } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 1024 * 1024 * 1024,
      // No pager, no prompts, and the user's locale cannot change what we parse.
      env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      windowsHide: true,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer; status?: number | null };
    if (err.code === 'ENOENT') throw new GitError('git is not installed or not on the PATH');
    throw new GitError(err.stderr?.toString('utf8').trim().split('\n')[0] || err.message);
  }
}

/** The working tree's top folder; throws GitError when `dir` is not inside a git checkout. */
export function gitToplevel(dir: string): string {
  let out: string;
  try {
    out = git(dir, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch (e) {
    if (e instanceof GitError && /not installed/.test(e.message)) throw e;
    throw new GitError(`${dir} is not inside a git checkout`);
  }
  if (!out) throw new GitError(`${dir} is not inside a git checkout (a bare repository has no working tree)`);
  return out;
}

/** The commit a revision names; throws GitError for an unknown revision. */
export function resolveCommit(top: string, rev: string): string {
  // A revision starting with "-" would be read as an option.
  if (rev.startsWith('-') || rev.trim() === '') throw new GitError(`unknown revision '${rev}' in ${top}`);
  try {
    return git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).toString('utf8').trim();
  } catch {
    throw new GitError(`unknown revision '${rev}' in ${top}`);
  }
}

export interface TreeFile {
  /** Relative to the top folder, with `/`. */
  path: string;
  text: string;
}

/**
 * The text files of a commit under `under` (a folder relative to the top, `''` for all), skipping
 * symbolic links, submodules, binary files and blobs over 1 MiB. One ls-tree and one batched cat-file.
 */
export function readTree(top: string, commit: string, under: string, keep: (path: string) => boolean): TreeFile[] {
  const args = ['ls-tree', '-r', '-z', '-l', '--full-tree', commit, ...(under ? ['--', under] : [])];
  const entries: { path: string; oid: string }[] = [];
  for (const record of git(top, args).toString('utf8').split('\0')) {
    // `<mode> SP <type> SP <object> SP+ <size> TAB <path>`
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (!m || m[2] !== 'blob' || m[1] === '120000') continue;
    if (m[4] === '-' || Number(m[4]) > MAX_BLOB_BYTES || !keep(m[5]!)) continue;
    entries.push({ path: m[5]!, oid: m[3]! });
  }
  if (entries.length === 0) return [];
  const out = git(top, ['cat-file', '--batch'], `${entries.map((e) => e.oid).join('\n')}\n`);
  const files: TreeFile[] = [];
  let at = 0;
  for (const entry of entries) {
    const headerEnd = out.indexOf(10, at);
    if (headerEnd < 0) break;
    const header = out.subarray(at, headerEnd).toString('utf8');
    const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1] ?? NaN);
    if (Number.isNaN(size)) {
      at = headerEnd + 1;
      continue;
    }
    const bytes = out.subarray(headerEnd + 1, headerEnd + 1 + size);
    at = headerEnd + 1 + size + 1;
    if (bytes.subarray(0, 8192).includes(0)) continue;
    files.push({ path: entry.path, text: bytes.toString('utf8') });
  }
  return files;
}
