// --fix: apply every preferred fix in memory on one shared workspace (so edits to a shared
// file such as config/environments/test.rb accumulate), then write the changed files.
// A file's fixes are dropped, not half-applied, when a file they touch cannot be written back
// faithfully: it is not valid UTF-8, or it changed on disk since the audit read it.

import { decodeText, encodeText } from '../core/file-access';
import { fixFileInMemory } from '../core/fix';
import type { Policy } from '../core/policy';
import type { ChangeBase, FileHistory, FileResult, Finding, SourceFile } from '../core/types';
import { workspaceFor } from '../audit/run';
import type { FixOutcome, ToolError } from '../report/model';
import type { SourceCache } from '../files/source-cache';

export interface FixOptions {
  /** With --since: the change base rules compare with, and the policy step that keeps only new findings. */
  base?: ChangeBase;
  filter?: { apply(file: SourceFile, result: FileResult): FileResult };
}

export async function applyFixes(
  findings: readonly Finding[],
  root: string,
  cache: SourceCache,
  policy?: Policy,
  history?: FileHistory,
  options: FixOptions = {},
): Promise<FixOutcome> {
  const outcome: FixOutcome = { changed: [], applied: [], notFixed: [], errors: [] };
  const workspace = workspaceFor(root, cache);
  if (policy || history) workspace.settings = { secretBackend: policy?.config.secretBackend ?? 'auto', ...(history ? { history } : {}) };
  if (options.base) workspace.base = options.base;
  const filter = options.filter ?? policy;
  const fixable = [...new Set(findings.filter((f) => f.fixes.some((x) => x.isPreferred)).map((f) => f.path))].sort();
  const checked = new Map<string, string | undefined>();
  const check = (path: string): string | undefined => {
    if (!checked.has(path)) checked.set(path, unsafeToWrite(path, cache));
    return checked.get(path);
  };

  for (const path of fixable) {
    const before = new Map(workspace.overlay);
    // Suppressed and baselined findings are not fixed.
    const result = await fixFileInMemory(path, workspace, filter ? { policy: filter } : {});
    const blocked = [...result.changed].map((p) => ({ path: p, reason: check(p) })).find((b) => b.reason !== undefined);
    if (blocked?.reason) {
      for (const p of result.changed) {
        const previous = before.get(p);
        if (previous === undefined) workspace.overlay.delete(p);
        else workspace.overlay.set(p, previous);
      }
      outcome.notFixed.push({ path, reason: blocked.reason, ...(blocked.path !== path ? { blockedBy: blocked.path } : {}) });
      continue;
    }
    outcome.applied.push(...result.applied);
  }

  for (const [path, text] of [...workspace.overlay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const base = cache.known(path).text;
    if (text === base) continue;
    const written = write(cache, path, text);
    if (written === true) {
      cache.wrote(path, text);
      outcome.changed.push({ path, created: base === undefined });
    } else {
      cache.forget(path);
      outcome.errors.push(written);
    }
  }
  return outcome;
}

/** Why a fixed text must not replace this file, or undefined when it may. */
function unsafeToWrite(path: string, cache: SourceCache): string | undefined {
  const known = cache.known(path);
  if (!known.lossless) return 'not valid UTF-8, fixing would corrupt it';
  const refused = cache.access.unwritable(path);
  if (refused) return refused.detail;
  const read = cache.access.read(path, Math.max(1024 * 1024, Buffer.byteLength(known.text ?? '') + 3));
  const onDisk = read.ok ? decodeText(read.bytes).text : undefined;
  if (known.seen && onDisk !== known.text) return 'changed on disk during the audit';
  return undefined;
}

/** Writes a fixed text back with the byte order mark it was read with. */
function write(cache: SourceCache, path: string, text: string): true | ToolError {
  const written = cache.access.write(path, encodeText(text, cache.known(path).bom));
  if (written.ok) return true;
  return { path, message: `could not write the fixed file: ${written.refusal.detail}` };
}
