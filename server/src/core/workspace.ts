// Workspaces backed by the file system, with an in-memory overlay for editor buffers
// and for fixes that have not been written yet.

import { readFileSync, statSync } from 'node:fs';
import type { Workspace } from './types';

export class FileSystemWorkspace implements Workspace {
  /** Texts that win over the disk: open editor buffers, or files changed by fixes in memory. */
  readonly overlay = new Map<string, string>();

  constructor(
    readonly root: string,
    private readonly lookup?: (path: string) => string | undefined,
  ) {}

  readFile(path: string): string | undefined {
    const over = this.overlay.get(path) ?? this.lookup?.(path);
    if (over !== undefined) return over;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  fileExists(path: string): boolean {
    if (this.overlay.has(path) || this.lookup?.(path) !== undefined) return true;
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }
}
