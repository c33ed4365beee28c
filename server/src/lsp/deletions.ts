// Files deleted on disk while the editor is open, as the client's file watcher reports them: the
// editor's view of "the change under audit deletes this file" (a credentials file, say), which
// rules grade as stronger evidence than a file that was never there. A file created again is
// no longer deleted.

import type { FileEvent } from 'vscode-languageserver';
import type { FileHistory } from '../core/types';

const CREATED = 1;
const DELETED = 3;

export class DeletedFiles {
  private readonly paths = new Set<string>();

  /** Records the deletions and re-creations in a batch of watched-file events. */
  note(changes: readonly FileEvent[], pathOf: (uri: string) => string | undefined): void {
    for (const c of changes) {
      const path = pathOf(c.uri);
      if (!path) continue;
      if (c.type === DELETED) this.paths.add(path);
      else if (c.type === CREATED) this.paths.delete(path);
    }
  }

  /** What rules see; undefined while nothing was deleted, so settings stay as they were. */
  history(): FileHistory | undefined {
    return this.paths.size ? { deleted: [...this.paths] } : undefined;
  }
}
