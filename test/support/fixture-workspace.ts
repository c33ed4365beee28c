// The workspace a rule fixture folder stands for.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

/**
 * A workspace fixture may say what version control knows (`history.json`: paths the change deletes,
 * paths committed before, relative to the fixture), as the CLI learns it from git.
 */
export function fixtureWorkspace(root: string): FileSystemWorkspace {
  const ws = new FileSystemWorkspace(root);
  const historyFile = join(root, 'history.json');
  if (existsSync(historyFile)) {
    const h = JSON.parse(readFileSync(historyFile, 'utf8')) as { deleted?: string[]; committed?: string[] };
    ws.settings = {
      secretBackend: 'auto',
      history: { deleted: (h.deleted ?? []).map((p) => join(root, p)), ...(h.committed ? { committed: h.committed.map((p) => join(root, p)) } : {}) },
    };
  }
  return ws;
}

