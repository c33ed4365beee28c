// GitHub Actions workflows: which runner each job runs on (GitHub-hosted, self-hosted, or unknown), and
// where the workflow names a Supabase direct host (db.<ref>.supabase.co) in what a job sees: the
// workflow's, the job's and its steps' `env`, steps' `with` inputs and `run` scripts.

import { isMap, isScalar, itemsOf, keysOf, parseYaml, scalarText, sourceOf, valueOf, type YamlFile } from './yaml';
import type { Document } from 'yaml';
import { supabaseDirectHostAt } from '../dbhandles/pooler';

export type RunnerKind = 'hosted' | 'self-hosted' | 'unknown';

export interface HostPlace {
  /** Offsets of the host in the file. */
  start: number;
  end: number;
  /** Where it is written, for the hover: `env.DATABASE_URL`, `a run step`. */
  where: string;
}

export interface WorkflowJob {
  id: string;
  runner: RunnerKind;
  /** The runs-on label as written (a label, never a value from elsewhere). */
  runnerLabel: string;
  /** Offsets of the job's `runs-on` value. */
  runsOn?: { start: number; end: number };
  places: HostPlace[];
}

export interface Workflow {
  jobs: WorkflowJob[];
  /** Hosts in the workflow-level `env`, which every job inherits. */
  shared: HostPlace[];
}

const HOSTED = /^(?:ubuntu|windows|macos)-[A-Za-z0-9._-]+$/;

export function isWorkflowPath(path: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path.split('\\').join('/'));
}

export function readWorkflow(text: string): Workflow | undefined {
  const file = parseYaml(text);
  const doc = file.docs[0];
  if (!doc || !isMap(doc.contents)) return undefined;
  const shared = hostsIn(file, valueOf(doc, doc.contents, 'env'), 'env');
  const jobsMap = valueOf(doc, doc.contents, 'jobs');
  const jobs: WorkflowJob[] = [];
  for (const id of keysOf(jobsMap)) {
    const job = valueOf(doc, jobsMap, id);
    if (!isMap(job)) continue;
    const runsOn = valueOf(doc, job, 'runs-on');
    const { kind, label } = runnerOf(file, doc, job, runsOn);
    const places = [...hostsIn(file, valueOf(doc, job, 'env'), 'env')];
    for (const step of itemsOf(valueOf(doc, job, 'steps'))) {
      if (!isMap(step)) continue;
      places.push(...hostsIn(file, valueOf(doc, step, 'env'), 'env'));
      places.push(...hostsIn(file, valueOf(doc, step, 'with'), 'with'));
      places.push(...hostsInScalar(file, valueOf(doc, step, 'run'), 'a run step'));
    }
    const range = (runsOn as { range?: [number, number, number] } | undefined)?.range;
    jobs.push({ id, runner: kind, runnerLabel: label, ...(range ? { runsOn: { start: range[0], end: range[1] } } : {}), places });
  }
  return { jobs, shared };
}

/** `runs-on`: a label, a list of labels, a `${{ matrix.x }}` over literal labels, or a group (unknown). */
function runnerOf(file: YamlFile, doc: Document.Parsed, job: unknown, runsOn: unknown): { kind: RunnerKind; label: string } {
  const labels: string[] = [];
  if (isScalar(runsOn)) {
    const text = scalarText(file, runsOn) ?? '';
    const matrix = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(text.trim());
    if (matrix) {
      for (const item of itemsOf(valueOf(doc, valueOf(doc, valueOf(doc, job, 'strategy'), 'matrix'), matrix[1]!))) {
        const l = scalarText(file, item);
        if (l === undefined) return { kind: 'unknown', label: text };
        labels.push(l);
      }
      // A hosted label among the matrix's runs is enough: those runs cannot reach the host.
      const hosted = labels.find((l) => HOSTED.test(l));
      return hosted ? { kind: 'hosted', label: hosted } : { kind: labels.includes('self-hosted') ? 'self-hosted' : 'unknown', label: text };
    }
    labels.push(text);
  } else {
    for (const item of itemsOf(runsOn)) {
      const l = scalarText(file, item);
      if (l === undefined) return { kind: 'unknown', label: '' };
      labels.push(l);
    }
  }
  if (labels.length === 0) return { kind: 'unknown', label: '' };
  if (labels.includes('self-hosted')) return { kind: 'self-hosted', label: labels.join(', ') };
  return labels.every((l) => HOSTED.test(l)) ? { kind: 'hosted', label: labels.join(', ') } : { kind: 'unknown', label: labels.join(', ') };
}

function hostsIn(file: YamlFile, map: unknown, prefix: string): HostPlace[] {
  if (!isMap(map)) return [];
  const out: HostPlace[] = [];
  for (const item of map.items) {
    if (!isScalar(item.key)) continue;
    out.push(...hostsInScalar(file, item.value, `${prefix}.${String(item.key.value)}`));
  }
  return out;
}

function hostsInScalar(file: YamlFile, node: unknown, where: string): HostPlace[] {
  if (!isScalar(node)) return [];
  const text = sourceOf(file, node);
  const start = (node as { range?: [number, number, number] }).range?.[0] ?? 0;
  const out: HostPlace[] = [];
  let offset = 0;
  for (let guard = 0; guard < 20; guard++) {
    const at = supabaseDirectHostAt(text.slice(offset));
    if (at < 0) break;
    const end = text.indexOf('.supabase.co', offset + at) + '.supabase.co'.length;
    out.push({ start: start + offset + at, end: start + end, where });
    offset = end;
  }
  return out;
}
