// Command-line paths → audit targets; a path that does not exist is bad usage.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeFsError } from '../files/fs-errors';
import type { Target, Targets } from '../files/discover';
import { UsageError } from './args';

/** Resolves the command-line paths; a path that does not exist is bad usage. */
export function resolveTargets(paths: readonly string[], cwd: string): Targets {
  const targets = paths.map((p): Target => {
    const path = resolve(cwd, p);
    let stats;
    try {
      stats = statSync(path);
    } catch (e) {
      const failure = describeFsError(e);
      throw new UsageError(failure.reason === 'vanished' ? `no such file or directory: ${p}` : `cannot read ${p}: ${failure.detail}`);
    }
    if (stats.isDirectory()) return { path, kind: 'dir' };
    if (stats.isFile()) return { path, kind: 'file' };
    throw new UsageError(`not a file or directory: ${p}`);
  });
  const only = targets.length === 1 ? targets[0] : undefined;
  return { root: only?.kind === 'dir' ? only.path : cwd, targets };
}
