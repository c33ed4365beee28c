// session-lock-on-pool: a session-level advisory lock or unlock sent through a handle that runs
// each statement on some pooled connection (pg Pool.query, drizzle db.execute, Prisma $queryRaw,
// knex.raw, …). The lock stays on whichever connection ran it; the unlock lands elsewhere.
// See docs/rules/session-lock-on-pool.md.

import { advisoryLockRule, isSessionLock, isSessionUnlock, lockAnalysis } from '../dbhandles/analysis';
import { squiggle, type ExecSite } from '../dbhandles/exec-sites';
import { sessionLockOnPoolWording, unlockOnPoolWording } from '../dbhandles/messages';
import { npmVersion } from '../dbhandles/npm-versions';
import { isFunction } from '../dbhandles/syntax';
import type { SyntaxNode } from '../parser';
import { dedicatedConnectionFix, transactionScopedLockFix } from '../fixes/advisory-lock-scope';
import { docsUrl, type Rule, type RuleContext } from '../rule';
import type { Fix, Range } from '../types';

const ID = 'session-lock-on-pool';

export const sessionLockOnPool: Rule = advisoryLockRule(
  {
    id: ID,
    title: 'Session advisory lock on a pooled handle',
    defaultSeverity: 'error',
    description:
      'A session-level advisory lock or unlock is sent through a handle that runs each statement on some pooled connection. ' +
      'The lock stays on the connection that ran it; the unlock may run on another connection, where it returns false, and the lock then stays held on an idle pooled connection: ' +
      'callers on other connections can be locked out until that connection closes, and callers that land on the holder connection take the lock again, so mutual exclusion fails.',
    docsUrl: docsUrl(ID),
  },
  check,
);

function check(ctx: RuleContext): void {
  const { sites, provenance } = lockAnalysis(ctx);
  const pooled = sites.filter((s) => s.handle.kind === 'pool' && !s.selfContained);
  const locks = pooled.filter(isSessionLock);
  const unlocks = pooled.filter((s) => !isSessionLock(s) && isSessionUnlock(s));
  const fnOf = new Map(unlocks.map((u) => [u, enclosingFunction(u.call)?.id]));
  const related = new Set<ExecSite>();
  for (const lock of locks) {
    const matching = matchingUnlocks(lock, unlocks, fnOf);
    for (const u of matching) related.add(u);
    const input = { lock, unlocks: matching, text: ctx.file.text, lines: ctx.lines, path: ctx.file.path, mod: provenance.module, version: (pkg: string) => npmVersion(ctx.workspace, ctx.file.path, pkg) };
    const fixes = (): Fix[] => {
      const built = [transactionScopedLockFix(input)].filter((f): f is Fix => !!f);
      const dedicated = dedicatedConnectionFix(input, built.length === 0);
      if (dedicated) built.push(dedicated);
      return built.filter((f) => verifies(ctx, f));
    };
    ctx.report({
      range: rangeOf(ctx, squiggle(lock)),
      ...sessionLockOnPoolWording(lock, matching),
      related: matching.map((u) => ({ path: ctx.file.path, range: rangeOf(ctx, squiggle(u)), message: 'The unlock, which runs on whichever pooled connection is free' })),
      fixes,
    });
  }
  // An unlock that belongs to no reported lock here (the lock is elsewhere): still a coin toss.
  for (const unlock of unlocks) {
    if (!related.has(unlock)) ctx.report({ range: rangeOf(ctx, squiggle(unlock)), ...unlockOnPoolWording(unlock) });
  }
}

/** Unlocks on the same receiver in the same function, else plain unlocks on the same receiver anywhere in the file. */
function matchingUnlocks(lock: ExecSite, unlocks: readonly ExecSite[], fnOf: Map<ExecSite, number | undefined>): ExecSite[] {
  const sameReceiver = unlocks.filter((u) => u.receiver?.text === lock.receiver?.text);
  const fn = enclosingFunction(lock.call);
  const sameFunction = sameReceiver.filter((u) => fn && fnOf.get(u) === fn.id);
  // Elsewhere in the file, only a plain unlock is this lock's release (unlock_all at shutdown is reported on its own).
  return sameFunction.length ? sameFunction : sameReceiver.filter((u) => u.calls.every((c) => c.action !== 'unlock-all'));
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}

function verifies(ctx: RuleContext, fix: Fix): boolean {
  const own = fix.changes.find((c) => c.path === ctx.file.path);
  return !own || own.kind !== 'edit' || ctx.reparseHasNoNewErrors(own.edits);
}

function rangeOf(ctx: RuleContext, node: { startIndex: number; endIndex: number }): Range {
  return { start: ctx.lines.positionAt(node.startIndex), end: ctx.lines.positionAt(node.endIndex) };
}
