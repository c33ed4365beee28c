// ci-database-unreachable-ipv6: a GitHub Actions job on a GitHub-hosted runner (ubuntu-*, windows-*,
// macos-*) connects to a Supabase direct host (db.<ref>.supabase.co), which has only an IPv6 address,
// while hosted runners have no IPv6 route: the migration hangs or fails. Self-hosted runners and runners
// the workflow does not name literally are silent. See docs/rules/ci-database-unreachable-ipv6.md.

import { ciWording } from '../dbconfig/messages';
import { isWorkflowPath, readWorkflow, type HostPlace, type WorkflowJob } from '../dbconfig/workflows';
import { docsUrl, type Rule } from '../rule';

const ID = 'ci-database-unreachable-ipv6';

export const ciDatabaseUnreachableIpv6: Rule = {
  meta: {
    id: ID,
    title: 'CI job cannot reach an IPv6-only database',
    defaultSeverity: 'warning',
    description:
      'A GitHub Actions job on a GitHub-hosted runner connects to a Supabase direct host (db.<ref>.supabase.co), which has only an IPv6 address unless the IPv4 add-on is enabled. ' +
      'GitHub-hosted runners have no IPv6 route, so the connection fails or hangs; the Supavisor session pooler (port 5432) is the IPv4 route.',
    docsUrl: docsUrl(ID),
  },
  languages: ['yaml'],
  triggers: { yaml: ['supabase.co'] },
  appliesTo: isWorkflowPath,
  nodeTypes: [],
  create: () => ({ enter: () => undefined }),
  scanText(ctx) {
    const wf = readWorkflow(ctx.file.text);
    if (!wf) return;
    const hosted = wf.jobs.filter((j) => j.runner === 'hosted');
    const report = (place: HostPlace, job: WorkflowJob): void => {
      ctx.report({
        range: { start: ctx.lines.positionAt(place.start), end: ctx.lines.positionAt(place.end) },
        ...ciWording({ job: job.id, runner: job.runnerLabel, where: place.where === 'a run step' ? 'a run step' : `\`${place.where}\`` }),
        related: job.runsOn
          ? [{ path: ctx.file.path, range: { start: ctx.lines.positionAt(job.runsOn.start), end: ctx.lines.positionAt(job.runsOn.end) }, message: `Job "${job.id}" runs on a GitHub-hosted runner.` }]
          : [],
      });
    };
    // The workflow's env reaches every job: reported once, for the first hosted job.
    if (hosted[0]) for (const place of wf.shared) report(place, hosted[0]);
    for (const job of hosted) for (const place of job.places) report(place, job);
  },
};
