// A controller method that skips its own access check in test (`return true if Rails.env.test?` before
// a token, signature or captcha check; `if Rails.env.test? then true else verify_recaptcha(…) end`):
// the tests never exercise the check, so a broken check or a missing production secret is not caught
// in CI. Only the method's first statement is judged, and only when what it skips verifies a credential.

import { not, type EnvCondition } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { EnvNames, envCondition } from '../ruby/env-conditions';
import { field, namedChildren, same } from '../ruby/syntax';

export interface TestSkippedCheck {
  method: SyntaxNode;
  name: string;
  /** The early return or the `if`/`unless` that skips the check. */
  fork: SyntaxNode;
  condition: SyntaxNode;
}

/**
 * What verifies a credential in the skipped code: a comparison of secrets, Rails' HTTP authentication,
 * a captcha, a token or signature check. A denial alone (`head :forbidden` where no credentials are
 * configured) checks nothing the tests could miss.
 */
const VERIFICATION =
  /\bsecure_compare\b|\bauthenticate_or_request_with_http_\w+|\bauthenticate_with_http_\w+|\bverify_recaptcha\b|\bJWT\.decode\b|\bdecode_token\b|\bverify_(signature|token)\b|\bvalid_signature\?/;

/** The check a fork skips in test, when `node` is the first statement of a method and decides so; undefined otherwise. */
export function testSkippedCheck(node: SyntaxNode): TestSkippedCheck | undefined {
  if (node.type !== 'if_modifier' && node.type !== 'unless_modifier' && node.type !== 'if' && node.type !== 'unless') return undefined;
  const method = methodOfFirstStatement(node);
  if (!method) return undefined;
  const condition = field(node, 'condition');
  if (!condition) return undefined;
  const holds = envCondition(condition, new EnvNames());
  const taken: EnvCondition = node.type.startsWith('unless') ? not(holds) : holds;
  // The branch taken in test must not be taken in production.
  if (taken('test') !== true || taken('production') !== false) return undefined;
  const name = field(method, 'name')?.text ?? 'method';
  if (node.type === 'if_modifier' || node.type === 'unless_modifier') {
    // `return true if Rails.env.test?`: what follows in the method is skipped in test.
    if (field(node, 'body')?.type !== 'return') return undefined;
    const rest = method.text.slice(node.endIndex - method.startIndex);
    return VERIFICATION.test(rest) ? { method, name, fork: node, condition } : undefined;
  }
  // `if Rails.env.test? then true else <check> end` first in the method: the else branch is skipped in test.
  const consequence = field(node, 'consequence');
  const alternative = field(node, 'alternative');
  if (!alternative || !consequence || VERIFICATION.test(consequence.text)) return undefined;
  return VERIFICATION.test(alternative.text) ? { method, name, fork: node, condition } : undefined;
}

/** The method whose body starts with `node` (its body a `body_statement`, or the method's own children). */
function methodOfFirstStatement(node: SyntaxNode): SyntaxNode | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  const method = parent.type === 'body_statement' ? parent.parent : parent;
  if (!method || (method.type !== 'method' && method.type !== 'singleton_method')) return undefined;
  const header = [field(method, 'name'), field(method, 'parameters'), field(method, 'object')];
  const first = namedChildren(parent).find((c) => c.type !== 'comment' && !header.some((h) => h && same(h, c)));
  return first && same(first, node) ? method : undefined;
}
