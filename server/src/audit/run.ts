// One audit pass over a workspace, shared by the CLI and the language server's audit command:
// discover, read each file once, analyse. Reports progress and stops early when cancelled.
//
// The main thread discovers, reads and prefilters every file (most files contain no rule's
// trigger and are done there). The files a rule wants parsed go to a pool of worker threads once
// there are enough of them to repay starting it, while reading goes on; otherwise, and for the
// editor, they are analysed in-process.

import { analyzeFile, applicableRules, applicableRulesForBytes, type FileResult } from '../core/engine';
import { decodeText } from '../core/file-access';
import { DIRECTIVE_TRIGGER } from '../core/suppressions';
import { languageOf } from '../core/parser';
import type { ChangeBase, FileHistory, Finding, Note, WorkspaceSettings } from '../core/types';
import { discoveredFiles, discoverFiles, type Discovery, type Targets } from '../files/discover';
import type { AuditWarning, SkippedFile } from '../files/skipped';
import { toolError, type ToolError } from './errors';
import type { SourceCache } from '../files/source-cache';
import { AnalysisPool, defaultPoolSize, findWorkerScript } from './pool';
import type { AnalysisJob } from './worker-protocol';
import { workspaceFor } from './workspace-for';
import type { Policy } from '../core/policy';
import type { Refusal } from '../core/file-access';
import { ProjectFinder } from './projects';
import { inShard, type Shard } from './shard';

export { workspaceFor } from './workspace-for';

export type { ToolError } from './errors';

export interface AuditResult {
  root: string;
  /** Files that were read and analysed. */
  files: string[];
  findings: Finding[];
  /** Decisions rules made without a finding (benign env forks), for the audit report. */
  notes: Note[];
  skipped: SkippedFile[];
  /** What the audit went on without, each said once (a .gitignore pattern it could not compile). */
  warnings: AuditWarning[];
  errors: ToolError[];
  /** Set when the audit was cancelled before every file was analysed. */
  cancelled?: boolean;
}

export interface AuditOptions {
  /** Cancels the audit; what was analysed so far is returned with `cancelled: true`. */
  signal?: AbortSignal;
  /** Called after each file with the number done and the total to do. */
  onProgress?: (done: number, total: number) => void;
  /** Analysis workers; 0 analyses in-process. Default: INITAUDIT_WORKERS, else one per core. */
  workers?: number;
  /** The project's configuration, suppressions and baseline (audit/policy.ts), applied to every file's result. */
  policy?: Policy;
  /** What version control knows (deleted and once-committed files), when the caller asked it. */
  history?: FileHistory;
  /**
   * The base of the change being audited (`--since`): rules compare with it through `Workspace.base`.
   * Files a base-comparing rule applies to are analysed in-process, where the base texts are.
   */
  base?: ChangeBase;
  /** Analyse and report only this shard's files (audit/shard.ts); rules still read the whole workspace. */
  shard?: Shard;
}

/**
 * The pool starts once this many files need parsing: below it, starting workers (each loads its
 * grammars, ~100 ms) costs more than it saves, as the engine parses a typical file in about a millisecond.
 */
export const POOL_MIN_JOBS = 64;
/**
 * Workers parse with wasm, whatever this thread uses. The pool could run the native binding (it
 * never terminates a worker mid-parse), but measured on a 2-core machine wasm workers did better:
 * rules call the tree node by node, and a call into the native binding costs more than into
 * WebAssembly, and native trees are freed only when the garbage collector gets to their wrappers.
 * bikeindex (4,489 files, large JavaScript bundles): 5.0 s and 208 MB with wasm workers, 6.9 s and
 * 280 MB with native ones; the bench corpus: about 10% less CPU with wasm at the same peak RSS.
 */
const WORKER_PARSER = 'wasm' as const;
/** Yield to the event loop this often while reading, so a cancellation can arrive. */
const YIELD_EVERY = 512;

export async function audit(targets: Targets, cache: SourceCache, options: AuditOptions = {}): Promise<AuditResult> {
  const shard = options.shard;
  const mine = (path: string): boolean => !shard || inShard(targets.root, path, shard);
  // Progress needs the total first: then the walk ends before reading starts. Without it (the CLI),
  // files are read, and parsed by the pool, while the walk goes on, and put in order at the end.
  const streamed = options.onProgress === undefined;
  const found: Omit<Discovery, 'files'> = { skipped: [], warnings: [] };
  const listed = streamed ? undefined : discoverFiles(targets.targets, cache.access);
  const mineListed = listed?.files.filter(mine);
  const source: Iterable<string> = mineListed ?? discoveredFiles(targets.targets, cache.access, found);
  const { warnings } = listed ?? found;
  /** The files taken, in the order read: discovery order, or the walk's when streamed. */
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const refused: Refusal[] = [];
  /** Known up front only when progress is reported. */
  const total = mineListed?.length ?? 0;
  /** Per file taken (same index): its analysis result once analysed, null when audited with nothing to say. */
  const results: (FileResult | null | undefined)[] = [];
  const errors: { index: number; error: ToolError }[] = [];
  let done = 0;
  /** The walk was left before its end (cancelled). */
  let interrupted = false;
  const progress = (): void => options.onProgress?.(done++, total);
  const policy = options.policy;
  const record = (job: AnalysisJob, result: FileResult): void => {
    results[job.index] = policy ? policy.apply({ path: job.path, text: job.text }, result) : result;
    progress();
  };

  // Files some rule wants parsed, until there are enough to start the pool; then they go to it as found.
  let waiting: AnalysisJob[] = [];
  /** Files a rule compares with the base: analysed here, never in a worker. */
  const local: AnalysisJob[] = [];
  let pool: AnalysisPool | undefined;
  const size = options.workers ?? defaultPoolSize();
  const script = size > 0 ? findWorkerScript() : undefined;
  const projects = new ProjectFinder(targets.root, cache.access);
  const stopPool = (): void => pool?.stop();
  options.signal?.addEventListener('abort', stopPool);
  try {
    // The main thread reads each file once and prefilters it; most files end here.
    for (const path of source) {
      if (streamed && !mine(path)) continue;
      const index = files.length;
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      files.push(path);
      if (policy?.isExcluded(path)) {
        progress();
        continue;
      }
      const raw = cache.readSourceBytes(path, policy?.config.maxFileSize);
      if (!raw.ok) {
        skipped.push(raw.skipped);
        progress();
        continue;
      }
      const lang = languageOf(path);
      // The prefilter runs on the bytes: most files are never decoded into a string, which is
      // most of the main thread's time and garbage on a large workspace.
      const rules = lang ? (raw.text !== undefined ? applicableRules(lang, raw.text, undefined, path) : (applicableRulesForBytes(lang, raw.bytes, undefined, path) ?? applicableRules(lang, cache.adopt(path, raw.bytes).text, undefined, path))) : [];
      if (rules.length === 0) {
        // Not kept: memory stays proportional to the files that matter, not to the workspace.
        // A rule that later looks this file up (a Rails app model reading every model) reads it again.
        cache.forget(path);
        // Still applied: a directive in a file no rule reads is an unused suppression. Without the
        // directive's marker in its bytes the file has none, and nothing can come of it: such a
        // file is recorded as audited with nothing found (null), no result object kept for it.
        if (policy && (raw.text !== undefined || raw.bytes.includes(DIRECTIVE_TRIGGER))) {
          const empty: FileResult = { path, findings: [], parsed: false, syntaxErrors: false, errors: [] };
          results[index] = policy.apply({ path, text: raw.text ?? decodeText(raw.bytes).text }, empty);
        } else {
          results[index] = null;
        }
        progress();
        continue;
      }
      const read = raw.text !== undefined ? { text: raw.text } : cache.adopt(path, raw.bytes);
      const job = { index, path, text: read.text };
      if (options.base && rules.some((r) => r.comparesWithBase)) {
        local.push(job);
        continue;
      }
      if (pool) {
        pool.add(job, projects.projectOf(path));
        continue;
      }
      waiting.push(job);
      if (script && waiting.length >= POOL_MIN_JOBS) {
        const settings = settingsFor(options);
        const access = { roots: [...cache.access.roots], named: cache.access.namedFiles(), accessOptions: cache.access.options };
        pool = new AnalysisPool(script, { root: targets.root, ...access, parser: WORKER_PARSER, ...(settings ? { settings } : {}) }, size, {
          onResult: record,
          onRefusals: (list) => refused.push(...list),
          onWorkerFailure: (failed, message) => {
            for (const f of failed) {
              errors.push({ index: f.index, error: { path: f.path, message: `analysis worker failed: ${message}` } });
              progress();
            }
          },
        });
        for (const w of waiting) pool.add(w, projects.projectOf(w.path));
        waiting = [];
      }
    }
    // What no worker took (no pool, or every worker died) is analysed here, in path order.
    const rest = [...(pool && !options.signal?.aborted ? await pool.finish() : waiting), ...local].sort((a, b) => byPath(a.path, b.path));
    const workspace = workspaceFor(targets.root, cache);
    const settings = settingsFor(options);
    if (settings) workspace.settings = settings;
    if (options.base) workspace.base = options.base;
    for (const job of rest) {
      // Between files, so the language server keeps answering (and validating the edited file) during an audit.
      await new Promise((r) => setImmediate(r));
      if (options.signal?.aborted) break;
      record(job, await analyzeFile({ path: job.path, text: job.text }, workspace));
    }
  } finally {
    options.signal?.removeEventListener('abort', stopPool);
    pool?.stop();
  }
  const cancelled = options.signal?.aborted === true && (interrupted || done < files.length);
  if (listed) skipped.push(...listed.skipped.filter((s) => mine(s.path)));
  else skipped.push(...found.skipped.filter((s) => mine(s.path)));

  const audited: string[] = [];
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const allErrors: ToolError[] = [];
  const failedAt = new Map<number, ToolError[]>();
  for (const { index, error } of errors) failedAt.set(index, [...(failedAt.get(index) ?? []), error]);
  // In path order, whatever order they were read in.
  const order = files.map((_, i) => i);
  if (streamed) order.sort((a, b) => byPath(files[a]!, files[b]!));
  for (const index of order) {
    const result = results[index];
    if (result === null) audited.push(files[index]!);
    else if (result) {
      audited.push(result.path);
      findings.push(...result.findings);
      notes.push(...(result.notes ?? []));
      for (const message of result.errors) allErrors.push(toolError(result.path, message));
    }
    allErrors.push(...(failedAt.get(index) ?? []));
  }
  // Files rules looked up and the access refused (a test.rb linked out of the root, a FIFO): said once each.
  const said = new Set(skipped.map((s) => s.path));
  for (const r of [...cache.access.refusals(), ...refused]) {
    if (said.has(r.path) || !mine(r.path)) continue;
    said.add(r.path);
    skipped.push({ path: r.path, reason: r.reason, detail: r.detail, ...(r.size !== undefined ? { size: r.size } : {}) });
  }
  skipped.sort((a, b) => byPath(a.path, b.path));
  if (!cancelled) options.onProgress?.(files.length, files.length);
  return { root: targets.root, files: audited, findings, notes, skipped, warnings, errors: allErrors, ...(cancelled ? { cancelled } : {}) };
}

/** The order reports list paths in: by UTF-16 code units, as Array.prototype.sort does. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What rules see of the project's settings: the secret backend, and the history when it is known. */
function settingsFor(options: AuditOptions): WorkspaceSettings | undefined {
  if (!options.policy && !options.history) return undefined;
  return { secretBackend: options.policy?.config.secretBackend ?? 'auto', ...(options.history ? { history: options.history } : {}) };
}
