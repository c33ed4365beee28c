// Change-aware analysis: what a rule may ask about the base of the change being audited
// (`Workspace.base`). The CLI fills it from `git` for `--since <rev>`; the editor from VS Code's git
// extension for lockfiles. Rules never see git, only texts and paths. The files the change deletes
// are `WorkspaceSettings.history.deleted` (cli/git-history.ts, against the --since revision).

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

/** A base from known texts: `texts` maps absolute paths to their text at the base, or null when absent there. */
export function changeBase(
  label: string,
  texts: ReadonlyMap<string, string | null>,
  options: { /** Paths the snapshot covers: one it lacks there did not exist at the base. */ knows?: (path: string) => boolean } = {},
): ChangeBase {
  return {
    label,
    text: (path) => {
      const t = texts.get(path);
      return t !== undefined ? t : options.knows?.(path) ? null : undefined;
    },
  };
}
