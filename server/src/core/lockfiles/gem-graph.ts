// Gemfile.lock (with the Gemfile's groups) → the neutral lock graph. Gems are keyed by name: a
// Bundler resolution has one version of each gem (platform variants share it).

import type { Range } from '../types';
import type { GemLockfile, LockedRequirement } from './gemfile-lock';
import { onlyNonRuntime, type GemfileModel } from './gemfile-groups';
import type { LockEdge, LockGraph, LockNode, LockRoot } from './graph';
import { gemRequirementCaps, gemRequirementsAdmit } from './requirements';

export function gemGraph(lock: GemLockfile, gemfile: GemfileModel | undefined): LockGraph {
  const at = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });
  const names = new Set(lock.specs.map((s) => s.name));
  const edge = (r: LockedRequirement): LockEdge => ({
    name: r.name,
    requirement: r.requirements.length ? r.requirements.join(', ') : 'any',
    caps: gemRequirementCaps(r.requirements),
    exact: r.requirements.length === 1 && /^\s*=?\s*\d/.test(r.requirements[0]!) && !/^\s*\d.*[<>~]/.test(r.requirements[0]!),
    target: names.has(r.name) ? r.name : undefined,
    range: at(r.line, r.start, r.end),
    admits: (version) => gemRequirementsAdmit(r.requirements, version),
  });
  const nodes = new Map<string, LockNode>();
  for (const spec of lock.specs) {
    const existing = nodes.get(spec.name);
    if (existing) {
      // Another platform of the same gem: its dependencies count too.
      for (const d of spec.dependencies) if (!existing.edges.some((e) => e.name === d.name)) existing.edges.push(edge(d));
      continue;
    }
    nodes.set(spec.name, { key: spec.name, name: spec.name, version: spec.version, range: at(spec.line, spec.start, spec.end), edges: spec.dependencies.map(edge) });
  }
  const roots: LockRoot[] = [...lock.dependencies.values()].map((d) => ({ ...edge(d), runtime: isRuntimeRoot(d.name, d.pinnedSource, gemfile) }));
  return { ecosystem: 'rubygems', nodes, roots };
}

/**
 * Without a readable Gemfile every direct dependency counts as runtime (Bundler installs all
 * groups by default). A gem in DEPENDENCIES the Gemfile does not name comes from `gemspec`: a
 * development dependency of the gem being developed, unless it is the gemspec's own gem (`!`).
 */
function isRuntimeRoot(name: string, pinnedSource: boolean, gemfile: GemfileModel | undefined): boolean {
  if (!gemfile) return true;
  const decls = gemfile.gems.get(name);
  if (!decls) return pinnedSource || !gemfile.hasGemspec;
  return !onlyNonRuntime(decls);
}

/** Direct dependencies whose Gemfile requirement the change set or changed: bumps asked for on purpose. */
export function changedGemRequirements(base: GemLockfile, head: GemLockfile): Set<string> {
  const out = new Set<string>();
  for (const [name, d] of head.dependencies) {
    const before = base.dependencies.get(name);
    if (!before || before.requirements.join(',') !== d.requirements.join(',')) out.add(name);
  }
  return out;
}
