// Which folder a document is audited relative to: the innermost workspace folder containing
// it, else the document's own directory (a loose file opened outside any folder).

import { dirname, sep } from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver';
import { filePathOf } from './uris';

// Windows paths compare case-insensitively; VS Code and Node disagree on drive letter case.
const normalize = process.platform === 'win32' ? (p: string): string => p.toLowerCase() : (p: string): string => p;

export class WorkspaceFolders {
  private folders: string[] = [];

  /** Replaces the folders (from `initialize`'s workspaceFolders, else its rootUri). */
  reset(folders: readonly WorkspaceFolder[] | null | undefined, rootUri: string | null | undefined): void {
    const uris = folders?.map((f) => f.uri) ?? (rootUri ? [rootUri] : []);
    this.folders = [];
    for (const uri of uris) this.add(uri);
  }

  add(uri: string): void {
    const path = filePathOf(uri);
    if (path && !this.folders.includes(path)) this.folders.push(path);
  }

  remove(uri: string): void {
    const path = filePathOf(uri);
    this.folders = this.folders.filter((f) => f !== path);
  }

  /** The first folder, where synthetic paths of untitled buffers live. */
  get first(): string | undefined {
    return this.folders[0];
  }

  /** Every folder, in the order the client gave them. */
  get all(): readonly string[] {
    return this.folders;
  }

  rootFor(path: string): string {
    const p = normalize(path);
    let best: string | undefined;
    for (const folder of this.folders) {
      const f = normalize(folder);
      const inside = p === f || p.startsWith(f.endsWith(sep) ? f : f + sep);
      if (inside && (!best || folder.length > best.length)) best = folder;
    }
    return best ?? dirname(path);
  }
}
