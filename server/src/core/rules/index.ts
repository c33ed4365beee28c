// The rule registry. Adding a rule: one file here, one docs page in docs/rules/, fixtures in test/fixtures/rules/.

import type { Rule } from '../rule';
import type { RuleMeta } from '../types';
import { ciDatabaseUnreachableIpv6 } from './ci-database-unreachable-ipv6';
import { connectionBudget } from './connection-budget';
import { credentialsFileMissing } from './credentials-file-missing';
import { encryptedAttributeUntested } from './encrypted-attribute-untested';
import { envForkedNilSecret } from './env-forked-nil-secret';
import { implicitGemKeyLookup } from './implicit-gem-key-lookup';
import { migrationsThroughTransactionPooler } from './migrations-through-transaction-pooler';
import { lockfileMajorDrift } from './lockfile-major-drift';
import { sessionLockBehindPooler } from './session-lock-behind-pooler';
import { sessionLockInTransaction } from './session-lock-in-transaction';
import { sessionLockOnPool } from './session-lock-on-pool';
import { sessionSettingThroughTransactionPooler } from './session-setting-through-transaction-pooler';
import { unusedSuppressionMeta } from './unused-suppression';
import { xactLockOutsideTransaction } from './xact-lock-outside-transaction';

export const RULES: readonly Rule[] = [
  envForkedNilSecret,
  implicitGemKeyLookup,
  credentialsFileMissing,
  sessionLockOnPool,
  xactLockOutsideTransaction,
  sessionLockInTransaction,
  sessionLockBehindPooler,
  migrationsThroughTransactionPooler,
  ciDatabaseUnreachableIpv6,
  sessionSettingThroughTransactionPooler,
  connectionBudget,
  encryptedAttributeUntested,
  lockfileMajorDrift,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

/** Every rule id a finding can carry: the rules, then the synthetic ones produced after analysis. */
export const RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), unusedSuppressionMeta];

export function ruleMetaById(id: string): RuleMeta | undefined {
  return RULE_METAS.find((m) => m.id === id);
}
