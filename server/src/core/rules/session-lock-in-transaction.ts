// session-lock-in-transaction: a session-level lock taken on a transaction handle with no unlock
// in the same callback outlives the commit on the pooled connection the transaction used.
// See docs/rules/session-lock-in-transaction.md.

import { squiggle } from '../dbhandles/exec-sites';
import { advisoryLockRule, isSessionLock, isSessionUnlock, lockAnalysis } from '../dbhandles/analysis';
import { sessionLockInTransactionWording } from '../dbhandles/messages';
import { isFunction } from '../dbhandles/syntax';
import type { SyntaxNode } from '../parser';
import { docsUrl, type Rule, type RuleContext } from '../rule';

const ID = 'session-lock-in-transaction';

export const sessionLockInTransaction: Rule = advisoryLockRule(
  {
    id: ID,
    title: 'Session advisory lock taken in a transaction',
    defaultSeverity: 'warning',
    description:
      'A session-level advisory lock is taken on a transaction handle and not released in the same callback. Session locks ignore transaction boundaries, ' +
      'so it stays held after the commit on the pooled connection the transaction used. Use the _xact_ variant.',
    docsUrl: docsUrl(ID),
  },
  check,
);

function check(ctx: RuleContext): void {
  const sites = lockAnalysis(ctx).sites;
  for (const s of sites) {
    if (s.handle.kind !== 'transaction' || s.selfContained || !isSessionLock(s)) continue;
    // A returned transaction (`await knex.transaction()`) has no callback: its function is the scope.
    const scope = s.handle.scope ?? enclosingFunction(s.call);
    const within = (n: { startIndex: number; endIndex: number }): boolean => (scope ? n.startIndex >= scope.startIndex && n.endIndex <= scope.endIndex : false);
    const unlocked = sites.some((u) => u !== s && isSessionUnlock(u) && u.handle.kind === 'transaction' && within(u.call));
    if (unlocked) continue;
    ctx.report({
      range: { start: ctx.lines.positionAt(squiggle(s).startIndex), end: ctx.lines.positionAt(squiggle(s).endIndex) },
      ...sessionLockInTransactionWording(s),
    });
  }
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}
