// package-lock.json (lockfileVersion 2 and 3, and npm-shrinkwrap.json) → the neutral lock graph.
// Packages are keyed by install path, because npm may install several versions of one name;
// a dependency resolves the way Node does: the nearest node_modules folder up the path.
// Version 1 lockfiles (no `packages` object) give no graph: nothing is compared.

import { parseTree, type Node } from 'jsonc-parser';
import type { LineIndex } from '../text';
import type { Range } from '../types';
import type { LockEdge, LockGraph, LockNode, LockRoot } from './graph';
import { npmRangeCaps } from './requirements';

export interface NpmLockfile {
  graph: LockGraph;
  /** The root package's ranges (`packages[""]`), by section, for telling intentional bumps. */
  rootRanges: Map<string, string>;
}

const EDGE_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

export function parseNpmLockfile(text: string, lines: LineIndex): NpmLockfile | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (root?.type !== 'object') return undefined;
  const packages = property(root, 'packages');
  if (packages?.type !== 'object') return undefined;
  const rangeOf = (n: Node): Range => ({ start: lines.positionAt(n.offset), end: lines.positionAt(n.offset + n.length) });
  const entries = new Map<string, { keyNode: Node; value: Node }>();
  for (const p of packages.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k?.type === 'string' && v?.type === 'object' && typeof k.value === 'string') entries.set(k.value, { keyNode: k, value: v });
  }
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ; ) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (entries.has(candidate) && !isLink(entries.get(candidate)!.value)) return candidate;
      if (base === '') return undefined;
      const cut = base.lastIndexOf('node_modules/');
      base = cut <= 0 ? '' : base.slice(0, cut - 1);
    }
  };
  const edgesOf = (key: string, value: Node, fields: readonly string[]): LockEdge[] => {
    const out: LockEdge[] = [];
    for (const field of fields) {
      const deps = property(value, field);
      for (const d of deps?.type === 'object' ? (deps.children ?? []) : []) {
        const [k, v] = d.children ?? [];
        if (k?.type !== 'string' || typeof k.value !== 'string') continue;
        const range = typeof v?.value === 'string' ? v.value : '';
        out.push({
          name: k.value,
          requirement: range.trim() === '' || range.trim() === '*' ? 'any' : range,
          caps: npmRangeCaps(range),
          exact: /^=?v?\d+\.\d+\.\d+(-[\w.]+)?$/.test(range.trim()),
          target: resolve(key, k.value),
          range: rangeOf(k),
        });
      }
    }
    return out;
  };
  const nodes = new Map<string, LockNode>();
  for (const [key, { keyNode, value }] of entries) {
    if (key === '' || isLink(value)) continue;
    const version = property(value, 'version')?.value;
    if (typeof version !== 'string') continue;
    const name = typeof property(value, 'name')?.value === 'string' ? (property(value, 'name')!.value as string) : key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const devOnly = property(value, 'dev')?.value === true || property(value, 'devOptional')?.value === true;
    nodes.set(key, { key, name, version, range: rangeOf(keyNode), edges: edgesOf(key, value, EDGE_FIELDS), devOnly });
  }
  const rootEntry = entries.get('');
  const roots: LockRoot[] = [];
  const rootRanges = new Map<string, string>();
  if (rootEntry) {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'] as const) {
      for (const e of edgesOf('', rootEntry.value, [field])) {
        roots.push({ ...e, runtime: field !== 'devDependencies' });
        rootRanges.set(e.name, e.requirement);
      }
    }
  }
  return { graph: { ecosystem: 'npm', nodes, roots }, rootRanges };
}

function property(obj: Node, name: string): Node | undefined {
  if (obj.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === name) return p.children[1];
  return undefined;
}

function isLink(value: Node): boolean {
  return property(value, 'link')?.value === true;
}

/** Root dependencies whose package.json range the change set or changed. */
export function changedNpmRanges(base: NpmLockfile, head: NpmLockfile): Set<string> {
  const out = new Set<string>();
  for (const [name, range] of head.rootRanges) if (base.rootRanges.get(name) !== range) out.add(name);
  return out;
}
