// The ecosystem-neutral view of a lockfile that lockfile-major-drift reasons over: resolved
// packages with their dependency edges, and the app's direct dependencies (roots) marked runtime
// or not. gem-graph.ts and npm-graph.ts build it from Gemfile.lock + Gemfile and package-lock.json.

import type { Range } from '../types';

export type Ecosystem = 'rubygems' | 'npm';

export interface LockEdge {
  name: string;
  /** The requirement as written (`>= 2.3.0`, `^1.2.0`), or `any` for a bare name or `*`. */
  requirement: string;
  /** Whether it sets a ceiling; undefined when it is not a version range (git, file:, a tag). */
  caps: boolean | undefined;
  /** Pins one version (`= 8.0.2`): the dependency moves only together with its dependent. */
  exact: boolean;
  /**
   * Whether the requirement admits a version (RubyGems requirements are evaluated; npm ranges are
   * not, so undefined). A requirement that no longer admits the base version demands the new major.
   */
  admits?: (version: string) => boolean | undefined;
  /** The key of the package it resolves to, when the lockfile has it. */
  target: string | undefined;
  /** Where the edge is written. */
  range: Range;
}

export interface LockNode {
  /** Gems: the name. npm: the install path (`node_modules/a/node_modules/b`). */
  key: string;
  name: string;
  version: string;
  /** Where the resolved package is written: the gem's `specs:` line, the npm `packages` key. */
  range: Range;
  edges: LockEdge[];
  /** npm's own marking of packages only the dev tree needs; undefined for gems (groups decide). */
  devOnly?: boolean;
}

/** A direct dependency of the app: a Gemfile (DEPENDENCIES) entry, a package.json dependency. */
export interface LockRoot extends LockEdge {
  /** Outside the development and test groups, or in npm `dependencies` rather than `devDependencies`. */
  runtime: boolean;
}

export interface LockGraph {
  ecosystem: Ecosystem;
  nodes: Map<string, LockNode>;
  roots: LockRoot[];
}

/**
 * The shortest chain of package names from a runtime root to `key` (the root first), or undefined
 * when no runtime root reaches it. Breadth-first over the resolved edges, never through a package
 * `passable` rejects (test and development tooling: what rubocop pulls is rubocop's business).
 */
export function runtimePath(graph: LockGraph, key: string, passable: (name: string) => boolean = () => true): string[] | undefined {
  const previous = new Map<string, string | null>();
  const queue: string[] = [];
  for (const r of graph.roots) {
    if (!r.runtime || r.target === undefined || previous.has(r.target)) continue;
    previous.set(r.target, null);
    queue.push(r.target);
  }
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    if (at === key) {
      const chain: string[] = [];
      for (let k: string | null | undefined = at; k; k = previous.get(k)) chain.unshift(graph.nodes.get(k)?.name ?? k);
      return chain;
    }
    if (!passable(graph.nodes.get(at)?.name ?? at)) continue;
    for (const e of graph.nodes.get(at)?.edges ?? []) {
      if (e.target === undefined || previous.has(e.target)) continue;
      previous.set(e.target, at);
      queue.push(e.target);
    }
  }
  return undefined;
}

/** Every edge (and root) that resolves to `key`, with the package it comes from (undefined for a root). */
export function dependentsOf(graph: LockGraph, key: string): { from: LockNode | undefined; edge: LockEdge }[] {
  const out: { from: LockNode | undefined; edge: LockEdge }[] = [];
  for (const r of graph.roots) if (r.target === key) out.push({ from: undefined, edge: r });
  for (const n of graph.nodes.values()) for (const e of n.edges) if (e.target === key) out.push({ from: n, edge: e });
  return out;
}
