// The workspace an audit's rules read other files through: the disk, via the run's cache.

import { FileSystemWorkspace } from '../core/workspace';
import type { SourceCache } from '../files/source-cache';

export function workspaceFor(root: string, cache: SourceCache): FileSystemWorkspace {
  return new FileSystemWorkspace(root, cache.lookup, cache.access);
}
