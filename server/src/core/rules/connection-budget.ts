// connection-budget: the processes that share a database can open more connections at full scale than
// its max_connections leaves after reserved slots: the sum over processes of connections per replica ×
// maximum replicas. Reported only when every input is visible (core/dbconfig/deployment.ts), on the
// max_connections setting, with each term's inputs as related locations and the arithmetic in the hover.
// See docs/rules/connection-budget.md.

import { budgetsFor, placeLabel, type Budget } from '../dbconfig/deployment';
import { budgetWording } from '../dbconfig/messages';
import { docsUrl, type Rule, type TextRuleContext } from '../rule';
import type { RelatedLocation } from '../types';

const ID = 'connection-budget';

const KIND_LABELS = { 'rails-web': 'Puma', sidekiq: 'Sidekiq', node: 'Node' } as const;

export const connectionBudget: Rule = {
  meta: {
    id: ID,
    title: 'Connection budget exceeded at full scale',
    defaultSeverity: 'warning',
    description:
      "The processes that share a database can open more connections at their maximum replica counts than the database's max_connections leaves after reserved connections: " +
      'pool size × maximum replicas, summed over Puma, Sidekiq and Node services (docker-compose, Kubernetes, ECS in Terraform). Reported only when every input is visible.',
    docsUrl: docsUrl(ID),
  },
  languages: ['yaml', 'hcl'],
  triggers: { yaml: ['max_connections'], hcl: ['max_connections'] },
  nodeTypes: [],
  create: () => ({ enter: () => undefined }),
  scanText(ctx) {
    for (const b of budgetsFor(ctx.workspace, ctx.file.path, ctx.file.text)) report(ctx, b);
  },
};

function report(ctx: TextRuleContext, b: Budget): void {
  const total = b.terms.reduce((n, t) => n + t.perReplica.value * t.replicas.value, 0);
  if (total <= b.maxConnections - b.reserved.value) return;
  const ws = ctx.workspace;
  const related: RelatedLocation[] = [];
  for (const t of b.terms) {
    for (const p of [...t.perReplica.places, ...t.replicas.places]) {
      related.push({ path: p.path, range: p.range, message: `Input of "${t.name}" (${t.perReplica.value} × ${t.replicas.value}): ${p.what}.` });
    }
  }
  const claims = new Set<string>();
  for (const t of b.terms) {
    if (t.kind === 'node') claims.add(/postgres\.js/.test(t.perReplica.why) ? 'postgres-js.max-default' : 'pg-pool.max-default');
    else claims.add('rails.pool-per-process').add(t.kind === 'sidekiq' ? 'sidekiq.concurrency' : 'puma.workers-threads');
    if (/maxReplicas|replicas \d/.test(t.replicas.why)) claims.add('k8s.hpa-max-replicas');
    if (/max_capacity|desired_count/.test(t.replicas.why)) claims.add('ecs.autoscaling-max-capacity');
  }
  ctx.report({
    range: b.anchor.range,
    ...budgetWording({
      claims: [...claims],
      maxConnections: b.maxConnections,
      reserved: b.reserved.value,
      reservedWhy: b.reserved.why,
      maxWhere: placeLabel(ws, b.anchor),
      terms: b.terms.map((t) => ({
        label: `${t.name} (${KIND_LABELS[t.kind]})`,
        perReplica: t.perReplica.value,
        perReplicaWhy: t.perReplica.why,
        replicas: t.replicas.value,
        replicasWhy: t.replicas.why,
        where: [...new Set([...t.perReplica.places, ...t.replicas.places].map((p) => placeLabel(ws, p)))].join(', ') || 'defaults',
      })),
    }),
    related,
  });
}
