// PLACEHOLDER while the rule is being written (see the lead's message); the real file replaces this.
import { docsUrl, type Rule } from '../rule';

export const envForkedNilSecret: Rule = {
  meta: {
    id: 'env-forked-nil-secret',
    title: 'Secret forked to nil by environment',
    defaultSeverity: 'warning',
    description: 'A secret-bearing setting is nil or unassigned in some Rails/Node environment through an env fork, so the production lookup never runs in CI.',
    docsUrl: docsUrl('env-forked-nil-secret'),
  },
  languages: ['ruby', 'typescript', 'tsx'],
  triggers: ['Rails.env', 'RAILS_ENV', 'NODE_ENV'],
  nodeTypes: [],
  create: () => ({ enter: () => undefined }),
};
