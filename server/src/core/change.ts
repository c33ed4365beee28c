// Change-aware analysis: what a rule may ask about the base of the change being audited
// (`Workspace.base`). The CLI fills it from `git` for `--since <rev>`; the editor from VS Code's git
// extension for lockfiles. Rules never see git, only texts and paths.

import type { ChangeBase, Workspace } from './types';

export type { ChangeBase } from './types';

/**
 * A file's text at the base: a string; null when the file did not exist at the base; undefined
 * when there is no base or the base of this file is not known (then compare nothing).
 */
export function baseTextOf(ws: Workspace, path: string): string | null | undefined {
  return ws.base?.text(path);
}

/** The base's name for messages (`main`), for one file when given; undefined without a base. */
export function baseLabelOf(ws: Workspace, path?: string): string | undefined {
  return (path !== undefined ? ws.base?.labelFor?.(path) : undefined) ?? ws.base?.label;
}

/**
 * Whether the change deletes this file (it existed at the base and is gone now): true or false
 * when known, undefined without a base or when the base does not say (the editor's comparison).
 * For rules whose severity depends on a deletion, e.g. a credentials file removed by the change.
 */
export function deletedSinceBase(ws: Workspace, path: string): boolean | undefined {
  const deleted = ws.base?.deleted;
  return deleted ? deleted.has(path) : undefined;
}

/** A base from known texts: `texts` maps absolute paths to their text at the base, or null when absent there. */
export function changeBase(
  label: string,
  texts: ReadonlyMap<string, string | null>,
  options: { deleted?: ReadonlySet<string>; /** Paths the snapshot covers: one it lacks there did not exist at the base. */ knows?: (path: string) => boolean } = {},
): ChangeBase {
  return {
    label,
    text: (path) => {
      const t = texts.get(path);
      return t !== undefined ? t : options.knows?.(path) ? null : undefined;
    },
    ...(options.deleted ? { deleted: options.deleted } : {}),
  };
}
