// Call sites of an exported helper in the files that import it, so a helper taking the handle as
// a parameter is judged where it is called. Bounded: the files of the helper's package (nearest
// package.json), at most MAX_FILES listed and MAX_PARSED parsed, cached per workspace version.

import { dirname, join } from 'node:path';
import type { SyntaxNode } from '../parser';
import { languageOf } from '../parser';
import { field } from '../tree';
import { unwrapTs } from '../typescript/env-conditions';
import type { Workspace } from '../types';
import { findReexports, resolveImportPath, withModule, type ModuleInfo } from './modules';
import { forEachDescendant } from './syntax';

const MAX_FILES = 3000;
const MAX_PARSED = 40;
const SKIP_DIRS = new Set(['node_modules/', '.git/', 'dist/', 'build/', 'out/', 'coverage/', 'vendor/', '.next/']);

const listings = new Map<string, string[]>();

/** Source files of the package a file belongs to (listed through the workspace). */
export function packageFiles(ws: Workspace, file: string): string[] {
  if (!ws.listDir) return [];
  let dir = dirname(file);
  while (!ws.fileExists(join(dir, 'package.json')) && dir !== ws.root && dirname(dir) !== dir && dirname(dir).startsWith(ws.root)) dir = dirname(dir);
  const key = `${ws.root}\0${dir}\0${ws.version?.() ?? 'none'}`;
  const cached = listings.get(key);
  if (cached) return cached;
  const out: string[] = [];
  const pending = [dir];
  while (pending.length && out.length < MAX_FILES) {
    const d = pending.pop()!;
    for (const name of [...(ws.listDir(d) ?? [])].sort()) {
      if (name.endsWith('/')) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.')) pending.push(join(d, name));
      } else {
        const lang = languageOf(name);
        if (lang === 'typescript' || lang === 'tsx') out.push(join(d, name));
      }
    }
  }
  if (listings.size > 8) listings.clear();
  // Without a version the listing cannot be known to be current: use it once.
  if (ws.version) listings.set(key, out);
  return out;
}

/**
 * For every call `name(…)` (or `new name(…)` when `construct`) of `exported` from `path` in an importing module, `judge` gets that
 * module and the argument at `index`. Stops early when `judge` returns true.
 */
export function forEachImportedCall(ws: Workspace, path: string, exported: string, index: number, construct: boolean, isDefault: boolean, judge: (mod: ModuleInfo, arg: SyntaxNode) => boolean): void {
  let parsed = 0;
  const own = packageFiles(ws, path);
  // Then the rest of the workspace: a monorepo's other packages import it by name, often through a barrel.
  const rest = workspaceFiles(ws).filter((f) => !own.includes(f));
  for (const file of [...own, ...rest]) {
    if (file === path || parsed >= MAX_PARSED) continue;
    const text = ws.readFile(file);
    if (!text || (!isDefault && !text.includes(exported))) continue;
    parsed++;
    const done = withModule(ws, file, (mod) => {
      const locals = [...mod.imports]
        .filter(([, b]) => (b.imported === exported || (isDefault && b.imported === 'default')) && reaches(ws, resolveImportPath(ws, file, b.source), b.imported, path, 0))
        .map(([local]) => local);
      let stop = false;
      if (locals.length === 0) return false;
      forEachDescendant(mod.root, (n) => {
        if (stop || n.type !== (construct ? 'new_expression' : 'call_expression')) return;
        const calleeNode = field(n, construct ? 'constructor' : 'function');
        // `(helper as any)(db)` too.
        const callee = calleeNode ? unwrapTs(calleeNode) : undefined;
        if (callee?.type !== 'identifier' || !locals.includes(callee.text)) return;
        const args = field(n, 'arguments');
        const arg = args?.type === 'arguments' ? args.namedChildren.filter((c) => c && c.type !== 'comment')[index] : undefined;
        if (arg && judge(mod, arg)) stop = true;
      });
      return stop;
    });
    if (done) return;
  }
}

/** Whether `name` imported from `file` is `target`'s export: the file itself, or a barrel re-exporting it. */
function reaches(ws: Workspace, file: string | undefined, name: string, target: string, depth: number): boolean {
  if (!file) return false;
  if (file === target) return true;
  if (depth > 3 || name === 'default') return false;
  return (
    withModule(ws, file, (mod) => {
      for (const re of findReexports(mod, name).slice(0, 8)) if (reaches(ws, resolveImportPath(ws, file, re.source), re.imported, target, depth + 1)) return true;
      return false;
    }) ?? false
  );
}

/** Source files of the whole workspace (bounded like a package's), for callers in other packages. */
function workspaceFiles(ws: Workspace): string[] {
  const anchor = join(ws.root, 'package.json');
  return ws.fileExists(anchor) ? packageFiles(ws, anchor) : [];
}
