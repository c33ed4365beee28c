// The per-file lock analysis shared by the four advisory-lock rules: computed once per tree,
// whichever of them asks first.

import type { Tree } from '../parser';
import type { Rule, RuleContext } from '../rule';
import type { RuleMeta } from '../types';
import { findExecSites, type ExecSite } from './exec-sites';
import { Provenance } from './provenance';

export interface LockAnalysis {
  sites: ExecSite[];
  provenance: Provenance;
}

const byTree = new WeakMap<Tree, LockAnalysis>();

export function lockAnalysis(ctx: RuleContext): LockAnalysis {
  let a = byTree.get(ctx.tree);
  if (!a) {
    const provenance = Provenance.forFile(ctx.workspace, ctx.file.path, ctx.tree.rootNode);
    a = { sites: findExecSites(ctx.tree.rootNode, provenance), provenance };
    byTree.set(ctx.tree, a);
  }
  return a;
}

export const LOCK_TRIGGERS: string[] = ['advisory_', 'ADVISORY_', 'Advisory_'];

export function isSessionLock(s: ExecSite): boolean {
  return s.calls.some((c) => c.scope === 'session' && c.action === 'lock');
}

export function isSessionUnlock(s: ExecSite): boolean {
  return s.calls.some((c) => c.scope === 'session' && c.action !== 'lock');
}

export function isXactLock(s: ExecSite): boolean {
  return s.calls.some((c) => c.scope === 'xact');
}

/**
 * The shape the four advisory-lock rules share: TypeScript/JavaScript files that mention a lock
 * function, imported modules parsed too, one check once the file is read (the per-file analysis
 * above is computed once and shared between them).
 */
export function advisoryLockRule(meta: RuleMeta, check: (ctx: RuleContext) => void): Rule {
  return {
    meta,
    languages: ['typescript', 'tsx'],
    // Imported modules may be .ts or .js/.tsx.
    readsLanguages: ['typescript', 'tsx'],
    triggers: { typescript: LOCK_TRIGGERS, tsx: LOCK_TRIGGERS },
    nodeTypes: [],
    create: (ctx) => ({ enter: () => undefined, finish: () => check(ctx) }),
  };
}
