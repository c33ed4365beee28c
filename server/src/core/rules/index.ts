// The rule registry. Adding a rule: one file here, one docs page in docs/rules/, fixtures in test/fixtures/rules/.

import type { Rule } from '../rule';
import { credentialsFileMissing } from './credentials-file-missing';
import { envForkedNilSecret } from './env-forked-nil-secret';
import { implicitGemKeyLookup } from './implicit-gem-key-lookup';

export const RULES: readonly Rule[] = [envForkedNilSecret, implicitGemKeyLookup, credentialsFileMissing];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
