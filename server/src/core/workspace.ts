// Workspaces backed by the file system, with an in-memory overlay for editor buffers
// and for fixes that have not been written yet. The disk is read through a FileAccess only
// (file-access.ts): nothing outside the root, nothing but regular files, capped.

import { sep } from 'node:path';
import { decodeText, FileAccess } from './file-access';
import type { ChangeBase, Workspace, WorkspaceSettings } from './types';

/** Files rules look up (test.rb, Gemfile.lock) are read up to this size, like audited files. */
const MAX_LOOKUP_BYTES = 1024 * 1024;

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
  /** Set for change-aware audits (`--since`, the editor's lockfile comparison). */
  base?: ChangeBase;

  /**
   * @param lookup texts that win over the disk (open buffers, a run's cache); null means "known
   *   absent or refused", undefined "not known here, ask the disk"
   */
  constructor(
    readonly root: string,
    private readonly lookup?: (path: string) => string | null | undefined,
    readonly access: FileAccess = new FileAccess([root]),
  ) {}

  readFile(path: string): string | undefined {
    const over = this.overlay.get(path) ?? this.lookup?.(path);
    if (over !== undefined) return over ?? undefined;
    const read = this.access.read(path, MAX_LOOKUP_BYTES);
    return read.ok ? decodeText(read.bytes).text : undefined;
  }

  fileExists(path: string): boolean {
    if (this.overlay.has(path)) return true;
    const over = this.lookup?.(path);
    if (typeof over === 'string') return true;
    if (over === null) return false;
    return this.access.isFile(path);
  }

  /** A fix may only touch files inside the root: not through a symlink out of it, not a FIFO. */
  writable(path: string): boolean {
    return this.access.unwritable(path) === undefined;
  }

  /** The disk is taken as stable for this instance's lifetime (one CLI run, one editor analysis); fixes bump it. */
  version(): number {
    return (this.overlay as VersionedMap<string, string>).version;
  }

  listDir(dir: string): string[] | undefined {
    let names: string[] | undefined;
    const listed = this.access.list(dir);
    // Symlinked folders are not followed (a link to / would list the whole disk); linked files are read through the access.
    names = listed.ok ? listed.entries.map((e) => (e.kind === 'dir' ? `${e.name}/` : e.name)) : undefined;
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
    ...(ws.base ? { base: ws.base } : {}),
    readFile: (p) => (p === path ? text : ws.readFile(p)),
    fileExists: (p) => p === path || ws.fileExists(p),
    ...(ws.writable ? { writable: (p: string) => ws.writable?.(p) ?? true } : {}),
    ...(ws.listDir ? { listDir: (d: string) => ws.listDir?.(d) } : {}),
  };
}

/**
 * A workspace held entirely in memory: the files of a git revision (`--since`), read by the CLI.
 * Absolute paths → texts; folders are implied by the paths.
 */
export class MemoryWorkspace implements Workspace {
  settings?: WorkspaceSettings;

  constructor(
    readonly root: string,
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  fileExists(path: string): boolean {
    return this.files.has(path);
  }

  /** Nothing changes while it lives. */
  version(): number {
    return 0;
  }

  listDir(dir: string): string[] | undefined {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const names = new Set<string>();
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      names.add(rest.includes(sep) ? `${rest.slice(0, rest.indexOf(sep))}/` : rest);
    }
    return names.size > 0 ? [...names] : undefined;
  }
}
