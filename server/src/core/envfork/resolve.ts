// Resolves what a setting holds in each environment across all its assignments in one file,
// and whether that makes it a forked secret. Shared by the Ruby and TypeScript scans.

import type { SyntaxNode } from '../parser';
import type { UnitFacts } from '../rule';
import { isKnownSecretSetting } from '../secrets/profiles';
import { isSecretName } from '../secrets/vocabulary';
import { envUniverse, OTHER_ENV, type EnvCondition, type EnvValue, type ForkedSetting, type Lookup, type Tri } from './model';

/** One assignment (or object/hash pair) of a setting. */
export interface Candidate {
  assignment: SyntaxNode;
  /** Where the squiggle goes: the left-hand side or the pair's key. */
  target: SyntaxNode;
  valueNode: SyntaxNode;
  name: string;
  /** Name for grouping and gem profiles (`config.pepper` in `Devise.setup` → `Devise.pepper`). */
  qualified: string;
  /** Computes `qualified` when it needs the tree (block receivers); run only for settings that may be secrets. */
  qualify?: () => string;
  /** A setting (default), a configuring call whose arguments carry secrets, or a value built from secrets. */
  kind?: ForkedSetting['kind'];
  /** For calls and built values: the secret among the arguments (its key path), which makes it secret-bearing. */
  secret?: Lookup;
}

/** A condition an assignment runs under: an enclosing branch, a modifier, or an earlier early return. */
export interface Guard {
  node: SyntaxNode;
  condition: EnvCondition;
  kind: 'guard' | 'modifier' | 'early-return' | 'env-file';
  /** The branch not taken by the assignment, for spotting test doubles there. */
  otherBranch?: SyntaxNode;
}

/** What an expression evaluates to in one environment. */
export interface Evaluated {
  value: EnvValue;
  /** The env-dependent conditional that decided the value, if any. */
  fork?: SyntaxNode;
  /** An env-var read the value falls back from (`ENV["X"] || (...)`, `process.env.X ?? (...)`). */
  envOperand?: SyntaxNode;
}

export type { Lookup };

/** The setting's value in every environment, across all its assignments in the file. */
export function resolveFork(
  group: Candidate[],
  guards: Map<number, Guard[]>,
  envs: string[],
evaluate: (node: SyntaxNode, env: string) => Evaluated,
assignedElsewhere: (qualified: string, env: string) => boolean,
testDouble: RegExp,
remoteBackend?: RegExp,
): ForkedSetting | undefined {
  const reach = (cand: Candidate, env: string): Tri => {
    let r: Tri = true;
    for (const g of guards.get(cand.assignment.id) ?? []) {
      const v = g.condition(env);
      if (v === false) return false;
      if (v === undefined) r = undefined;
    }
    return r;
  };
  const nilEnvs: string[] = [];
  const unassignedEnvs: string[] = [];
  const realEnvs: string[] = [];
  let real: { value: EnvValue; cand: Candidate } | undefined;
  let nilCand: Candidate | undefined;
  let nilNode: SyntaxNode | undefined;
  let valueFork: SyntaxNode | undefined;
  let envOperand: SyntaxNode | undefined;
  for (const env of envs) {
    const reaching = group.filter((c) => reach(c, env) !== false);
    if (reaching.length === 0) {
      if (!assignedElsewhere(group[0]!.qualified, env)) unassignedEnvs.push(env);
      continue;
    }
    // The last assignment that runs here wins; an uncertain one after it makes the value unknown.
    const last = reaching[reaching.length - 1]!;
    // One assignment that may run here (`… if flag && !Rails.env.test?`) gives a possible real value, never a certain nil.
    const certain = reach(last, env) === true;
    if (!certain && reaching.length > 1) continue;
    const ev = evaluate(last.valueNode, env);
    if (!certain && ev.value.kind === 'nil') continue;
    if (ev.envOperand) envOperand = ev.envOperand;
    if (ev.fork) valueFork ??= ev.fork;
    const kind = ev.value.kind;
    if (kind === 'nil') {
      nilEnvs.push(env);
      nilCand ??= last;
      nilNode ??= ev.value.node;
    } else if (kind === 'lookup' || kind === 'other') {
      realEnvs.push(env);
      if (!real || env === 'production') real = { value: ev.value, cand: last };
    }
  }
  // `ENV["A"] || if Rails.env.test? … end`: where the fork is nil, the env var is all production has.
  if (!real && envOperand && nilEnvs.length) {
    const lookup = evaluate(envOperand, 'production').value;
    if (lookup.kind === 'lookup') real = { value: lookup, cand: nilCand ?? group[0]! };
  }
  if (!real) return undefined;
  const missing = [...nilEnvs, ...unassignedEnvs];
  // Development-only nil is a local convenience; CI runs test, deploys run production and custom envs.
  if (!missing.some((e) => e !== 'development' && e !== OTHER_ENV)) return undefined;
  const c = nilCand ?? real.cand;
  const lookupPath = real.value.lookup?.path ?? [];
  const lastSegment = c.name.split(/\.|::|\[/).pop() ?? c.name;
  // A known setting is secret whatever its last word says (`encryption.primary_key` is no schema key).
  if (!c.secret && !isKnownSecretSetting(c.qualified) && !isSecretName(lastSegment.replace(/[^\w]/g, '')) && !isSecretName(lookupPath.join('_'))) return undefined;

  // Which syntax forks: a conditional in the value, else the guard that separates the missing envs.
  let forkKind: ForkedSetting['forkKind'] = 'value';
  let fork: SyntaxNode | undefined = valueFork;
  let nilBranch: SyntaxNode | undefined;
  if (!fork) {
    const guard = (guards.get(c.assignment.id) ?? []).find((g) => missing.some((e) => g.condition(e) !== true) || nilCand !== undefined);
    if (!guard) return undefined;
    fork = guard.node;
    forkKind = guard.kind;
    nilBranch = nilCand ? nilCand.assignment.parent ?? undefined : guard.otherBranch;
  }
  // A double in the branch the missing environments take: the chosen fork's, or an enclosing guard's
  // (`if dev || test` with a fake, `elsif production` with the keys).
  const taken = (guards.get(c.assignment.id) ?? []).filter((g) => g.otherBranch && missing.some((e) => g.condition(e) === false));
  const doubled = testDouble.test((nilBranch ?? fork).text) || taken.some((g) => testDouble.test(g.otherBranch!.text));
  // A call that switches the library to a remote backend (`storage: :s3`) with its credentials: where
  // it is skipped, the library keeps its local default, which routes around infrastructure.
  const keepsLocalDefault = c.kind === 'call' && remoteBackend !== undefined && remoteBackend.test(real.cand.assignment.text);
  return {
    name: c.name,
    qualified: c.qualified,
    kind: c.kind ?? 'setting',
    ...(c.secret ? { secret: c.secret } : {}),
    assignment: c.assignment,
    target: c.target,
    valueNode: real.cand.valueNode,
    realAssignment: real.cand.assignment,
    fork,
    forkKind,
    nilEnvs,
    ...(nilNode ? { nilNode } : {}),
    unassignedEnvs,
    realEnvs,
    real: real.value,
    ...(envOperand ? { envOperand } : {}),
    doubledInNilBranch: doubled,
    ...(keepsLocalDefault ? { keepsLocalDefault } : {}),
  };
}

/** Words a secret's name or lookup contains; a cheap textual test before any evaluation. */
const SECRET_HINT = /key|secret|token|passw|pepper|salt|dsn|credential|sid/i;

/**
 * Records how a candidate ties its unit to the other assignments of its name (incremental analysis):
 * one that makes its name's group worth judging (a secret word in the name or the value) needs all
 * of them; one that does not matters only if another does.
 */
export function linkCandidate(units: UnitFacts | undefined, c: Candidate): void {
  if (!units) return;
  const key = `name:${c.name}`;
  if (SECRET_HINT.test(c.name) || SECRET_HINT.test(c.valueNode.text)) {
    units.link(c.assignment, key);
    units.use(c.assignment, key);
  } else units.provide(c.assignment, key);
}

/**
 * Candidates grouped by setting, keeping only settings that could carry a secret: the name or one
 * of its values mentions a secret word. Most settings in a large initializer are knobs
 * (`config.x.batch_size`), and evaluating them in every environment is what editing latency pays for.
 */
export function secretGroups(candidates: readonly Candidate[]): Map<string, Candidate[]> {
  // Qualifying walks ancestors, so the secret test runs first, on the written name (same last segment).
  const byName = group(candidates, (c) => c.name);
  const kept: Candidate[] = [];
  for (const [name, list] of byName) {
    if (SECRET_HINT.test(name) || list.some((c) => SECRET_HINT.test(c.valueNode.text))) kept.push(...list);
  }
  for (const c of kept) if (c.qualify) c.qualified = c.qualify();
  return group(kept, (c) => c.qualified);
}

function group(candidates: readonly Candidate[], key: (c: Candidate) => string): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const k = key(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return groups;
}

export interface ScanHooks {
  /** The guards an assignment runs under; undefined when it cannot be judged (nested too deep). */
  guardsOf(node: SyntaxNode): Guard[] | undefined;
  evaluate(node: SyntaxNode, env: string): Evaluated;
  /** Environment names the file mentions beyond the base three, known once conditions were read. */
  customEnvs(): Iterable<string>;
  assignedElsewhere(qualified: string, env: string): boolean;
  testDouble: RegExp;
  /** A call that selects a remote backend; skipped, the library keeps its local default. */
  remoteBackend?: RegExp;
  /** The group whose candidates are being judged (undefined after the last), so scans can attribute what they read. */
  enterGroup?(group: readonly Candidate[] | undefined): void;
}

/** Every forked secret among a file's candidates: the shared end of the Ruby and TypeScript scans. */
export function resolveForks(candidates: readonly Candidate[], hooks: ScanHooks): ForkedSetting[] {
  if (candidates.length === 0) return [];
  const guards = new Map<number, Guard[]>();
  const groups = secretGroups(candidates);
  for (const [name, group] of groups) {
    hooks.enterGroup?.(group);
    const kept = group.filter((c) => {
      const g = hooks.guardsOf(c.assignment);
      if (g) guards.set(c.assignment.id, g);
      return g !== undefined;
    });
    if (kept.length) groups.set(name, kept);
    else groups.delete(name);
    // Conditions register custom env names as they are read, so read them all before the universe is fixed.
    for (const c of kept) for (const e of ['test', 'production']) hooks.evaluate(c.valueNode, e);
  }
  const envs = envUniverse(hooks.customEnvs());
  const out: ForkedSetting[] = [];
  for (const group of groups.values()) {
    hooks.enterGroup?.(group);
    const s = resolveFork(group, guards, envs, hooks.evaluate, hooks.assignedElsewhere, hooks.testDouble, hooks.remoteBackend);
    if (s) out.push(s);
  }
  hooks.enterGroup?.(undefined);
  return out;
}
