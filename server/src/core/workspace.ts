// Workspaces backed by the file system, with an in-memory overlay for editor buffers
// and for fixes that have not been written yet.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Workspace, WorkspaceSettings } from './types';

/** A map that counts its changes, so a workspace can tell when derived facts are stale. */
class VersionedMap<K, V> extends Map<K, V> {
  version = 0;
  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

export class FileSystemWorkspace implements Workspace {
  /** Texts that win over the disk: open editor buffers, or files changed by fixes in memory. */
  readonly overlay: Map<string, string> = new VersionedMap<string, string>();
  /** Set by the CLI and the language server from the project's configuration. */
  settings?: WorkspaceSettings;

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

  /** The disk is taken as stable for this instance's lifetime (one CLI run, one editor analysis); fixes bump it. */
  version(): number {
    return (this.overlay as VersionedMap<string, string>).version;
  }

  listDir(dir: string): string[] | undefined {
    let names: string[] | undefined;
    try {
      names = readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    } catch {
      names = undefined;
    }
    // Files created by fixes in memory exist too, and so do the folders they imply.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const path of this.overlay.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const name = rest.includes(sep) ? `${rest.slice(0, rest.indexOf(sep))}/` : rest;
      names ??= [];
      if (!names.includes(name)) names.push(name);
    }
    return names;
  }
}

/** A view of a workspace in which one file has the given text (a fix's pending change to it). */
export function withFile(ws: Workspace, path: string, text: string): Workspace {
  return {
    root: ws.root,
    ...(ws.settings ? { settings: ws.settings } : {}),
    readFile: (p) => (p === path ? text : ws.readFile(p)),
    fileExists: (p) => p === path || ws.fileExists(p),
    ...(ws.listDir ? { listDir: (d: string) => ws.listDir?.(d) } : {}),
  };
}
