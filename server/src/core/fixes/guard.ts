// The last check before a fix is offered: it may only touch files a fix may write (inside the
// root, not through a symbolic link out of it, regular files). Everything a rule builds passes here.

import type { Fix, Workspace } from '../types';

/** The fixes whose every change the workspace allows. */
export function offerableFixes(fixes: readonly Fix[], workspace: Workspace): Fix[] {
  if (!workspace.writable || fixes.length === 0) return [...fixes];
  return fixes.filter((fix) => fix.changes.every((c) => workspace.writable?.(c.path) !== false));
}
