// The rule registry. Adding a rule: one file here, one docs page in docs/rules/, fixtures in test/fixtures/rules/.

import type { Rule } from '../rule';
import { envForkedNilSecret } from './env-forked-nil-secret';

export const RULES: readonly Rule[] = [envForkedNilSecret];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
