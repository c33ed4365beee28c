// An HTTP access check that an environment fork runs only in production (`if Rails.env.production?
// authenticate_or_request_with_http_token … end` in a controller): the tests never exercise the check,
// so a broken or missing credential there is not caught in CI. A check that only staging runs (a
// curtain over a private deployment) is not this: production does not run it either.

import { not, type EnvCondition } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { EnvNames, envCondition } from '../ruby/env-conditions';
import { callParts, field, same } from '../ruby/syntax';

/** Action Controller's HTTP authentication, the access checks Rails itself provides. */
const ACCESS_CHECKS = new Set([
  'authenticate_or_request_with_http_basic',
  'authenticate_or_request_with_http_token',
  'authenticate_or_request_with_http_digest',
  'authenticate_with_http_basic',
  'authenticate_with_http_token',
  'http_basic_authenticate_with',
]);

export interface AccessControlSwitch {
  call: SyntaxNode;
  method: string;
  /** The `if`/`unless` (statement or modifier) whose branch holds the check. */
  fork: SyntaxNode;
  condition: SyntaxNode;
}

const FORKS = new Set(['if', 'unless', 'if_modifier', 'unless_modifier', 'elsif']);
/** How far up a check may sit below its fork: a block or two inside the branch. */
const MAX_DEPTH = 12;

/** The fork that runs an access check in production and not in test; undefined otherwise. */
export function accessControlEnvSwitch(call: SyntaxNode): AccessControlSwitch | undefined {
  const { receiver, method } = callParts(call);
  if (receiver || !method || !ACCESS_CHECKS.has(method)) return undefined;
  let child = call;
  for (let p = call.parent, depth = 0; p && depth < MAX_DEPTH; child = p, p = p.parent, depth++) {
    if (!FORKS.has(p.type)) continue;
    const condition = field(p, 'condition');
    if (!condition || same(condition, child)) continue;
    const holds = envCondition(condition, new EnvNames());
    // The check is in the consequence, or in the else branch, where the condition is inverted.
    const inElse = same(field(p, 'alternative'), child);
    let runs: EnvCondition = p.type.startsWith('unless') ? not(holds) : holds;
    if (inElse) runs = not(runs);
    if (runs('test') === false && runs('production') === true) return { call, method, fork: p, condition };
    // The nearest env-decided fork is the one that counts; an unknown condition leaves it open.
    if (runs('test') !== undefined) return undefined;
  }
  return undefined;
}
