// Major-version drift between a base and a head lock graph, and what decides its severity:
// who depends on the package, whether any of them caps it, whether a runtime root reaches it,
// whether it is tooling, and whether the app asked for the bump (its own requirement changed).

import { dependentsOf, runtimePath, type LockEdge, type LockGraph, type LockNode } from './graph';
import { majorOf } from './requirements';
import type { ToolingKind } from './tooling';

export interface Dependent {
  /** The depending package's name, or undefined for the app itself (Gemfile, package.json). */
  name: string | undefined;
  version: string | undefined;
  edge: LockEdge;
}

export type DriftKind =
  /** A runtime package crossed a major that no dependent caps. */
  | 'uncapped'
  /**
   * Every dependent caps it, or demands the new major (its requirement no longer admits the base
   * version): each dependent's authors allow it. Not reported.
   */
  | 'capped'
  /** The version went back to an older major (a requirement somewhere forced it down). */
  | 'downgrade'
  /** Some dependents cap it (their authors allow the new major), others set no ceiling. */
  | 'partly-capped'
  | 'tooling'
  /** Only development/test roots reach it. */
  | 'dev-only'
  /**
   * A direct dependency the app's manifest accepts at any new major: the app's own code calls it,
   * so its tests exercise the new API, unlike a transitive gem nobody chose.
   */
  | 'direct'
  /** The app's own requirement changed, or it moves with a package that did (exact pins). */
  | 'intentional';

export interface Drift {
  node: LockNode;
  from: string;
  to: string;
  kind: DriftKind;
  dependents: Dependent[];
  /** Runtime root → … → the package, when a runtime root reaches it. */
  path?: string[];
  tooling?: ToolingKind;
}

export interface DriftOptions {
  tooling: (name: string) => ToolingKind | undefined;
  /** Keys of root packages whose requirement the change set or changed. */
  intentional: ReadonlySet<string>;
}

export function majorDrifts(base: LockGraph, head: LockGraph, options: DriftOptions): Drift[] {
  const intentional = intentionalClosure(head, options.intentional);
  const out: Drift[] = [];
  for (const node of head.nodes.values()) {
    const before = base.nodes.get(node.key);
    if (!before) continue;
    const from = majorOf(before.version);
    const to = majorOf(node.version);
    if (from === undefined || to === undefined || from === to) continue;
    const dependents = dependentsOf(head, node.key).map(({ from: f, edge }) => ({ name: f?.name, version: f?.version, edge }));
    const tooling = options.tooling(node.name);
    const path = runtimePath(head, node.key, (name) => options.tooling(name) === undefined);
    const runtime = head.ecosystem === 'npm' ? node.devOnly !== true : path !== undefined;
    const kind: DriftKind = intentional.has(node.key)
      ? 'intentional'
      : tooling
        ? 'tooling'
        : !runtime
          ? 'dev-only'
          : to < from
            ? 'downgrade'
            : byDependents(dependents, before.version);
    out.push({ node, from: before.version, to: node.version, kind, dependents, ...(path ? { path } : {}), ...(tooling ? { tooling } : {}) });
  }
  return out;
}

/**
 * Judged by the packages that depend on it; the app's own requirement (a root) counts only when
 * nothing else depends on it: then the app's code is what calls the new major.
 */
function byDependents(dependents: readonly Dependent[], baseVersion: string): DriftKind {
  // The app's own requirement caps it above the new major (`gem "rails", "< 6.1"` for Rails 6.0): the app accepted it.
  if (dependents.some((d) => d.name === undefined && d.edge.caps === true)) return 'intentional';
  const libs = dependents.filter((d) => d.name !== undefined);
  if (libs.length === 0) return dependents.length > 0 ? 'direct' : 'uncapped';
  // A floor raised past the base version is the dependent asking for the new major (activerecord 5.2's `arel (>= 9.0)`).
  const open = libs.filter((d) => d.edge.caps === false && d.edge.admits?.(baseVersion) !== false);
  if (open.length === 0) return 'capped';
  return open.length < libs.length ? 'partly-capped' : 'uncapped';
}

/** The packages the app asked for, and those pinned exactly by them (the Rails family under `rails`). */
function intentionalClosure(head: LockGraph, roots: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const queue = [...roots].filter((k) => head.nodes.has(k));
  for (const k of queue) out.add(k);
  for (let i = 0; i < queue.length; i++) {
    for (const e of head.nodes.get(queue[i]!)?.edges ?? []) {
      if (!e.exact || e.target === undefined || out.has(e.target)) continue;
      out.add(e.target);
      queue.push(e.target);
    }
  }
  return out;
}
