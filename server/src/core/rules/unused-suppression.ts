// A synthetic rule: its findings come from the suppression step (core/suppressions.ts), not from
// a tree walk, so it has metadata but no visitor. It reports directives that silence nothing or
// name no known rule, so stale suppressions do not pile up and hide future findings.

import { docsUrl } from '../rule';
import type { RuleMeta } from '../types';

export const UNUSED_SUPPRESSION_ID = 'unused-suppression';

export const unusedSuppressionMeta: RuleMeta = {
  id: UNUSED_SUPPRESSION_ID,
  title: 'Suppression that silences nothing',
  defaultSeverity: 'warning',
  description:
    'An initaudit:disable-next-line or initaudit:disable-file directive that names an unknown rule, names no rule, or no longer silences any finding.',
  docsUrl: docsUrl(UNUSED_SUPPRESSION_ID),
};
