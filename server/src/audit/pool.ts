// A pool of analysis workers (worker_threads) for large workspace audits. The main thread reads
// and prefilters, and hands the files some rule wants parsed to the pool as it finds them, so
// parsing overlaps reading. Batches go to whichever worker is idle, so a slow file does not hold
// up the others; results come back tagged with their index, so the caller can keep them in
// discovery order whatever the completion order.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { FileResult } from '../core/engine';
import type { Refusal } from '../core/file-access';
import type { AnalysisJob, BatchResult, JobBatch, WorkerInit } from './worker-protocol';

const WORKER_FILE = 'audit-worker.js';

/** node:worker_threads, required when a pool starts: most runs start none, and loading it is ~5 ms of start-up. */
function workerClass(): typeof Worker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:worker_threads') as typeof import('node:worker_threads')).Worker;
}
/** Files per message: enough to amortise the message cost, few enough to balance the load. */
const BATCH_SIZE = 8;

/** The bundled worker next to this bundle (server/out), or found from the compiled sources. */
export function findWorkerScript(): string | undefined {
  const beside = join(__dirname, WORKER_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = __dirname, parent = dirname(dir); parent !== dir; dir = parent, parent = dirname(dir)) {
    const candidate = join(dir, 'server', 'out', WORKER_FILE);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Workers for this machine: one per core but one, since the main thread is busy too (it discovers,
 * reads and prefilters every file), and at least one. Each worker is a V8 heap and a copy of every
 * per-project model, so one more than the cores can run only adds memory. INITAUDIT_WORKERS overrides.
 */
export function defaultPoolSize(): number {
  const raw = process.env['INITAUDIT_WORKERS'];
  const fromEnv = Number(raw);
  if (raw !== undefined && raw !== '' && Number.isInteger(fromEnv) && fromEnv >= 0) return fromEnv;
  return Math.max(1, availableParallelism() - 1);
}

/**
 * A worker's young generation, in MB (V8's default is several times this). What a worker allocates
 * is short-lived (texts, trees' wrappers, per-file facts): a small nursery collects it sooner and
 * keeps the process's peak RSS down (about 40 MB per worker on the bench's corpus) at no cost in time.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

export interface PoolHandlers {
  /** Called once per job, in completion order. */
  onResult(job: AnalysisJob, result: FileResult): void;
  /** Files a worker's FileAccess refused (each worker says each once). */
  onRefusals?(refusals: Refusal[]): void;
  /** A worker died with these jobs in flight; they are not retried (they may be what killed it). */
  onWorkerFailure(jobs: AnalysisJob[], message: string): void;
}

interface Slot {
  worker: Worker;
  inFlight: AnalysisJob[];
  /** Jobs for the projects this worker owns. */
  queue: AnalysisJob[];
  /** Jobs given to it so far, to hand new projects to the least loaded worker. */
  load: number;
}

/**
 * Files of one project (one Rails app, one package) go to the same worker: rules build per-project
 * models (the Rails app's gems and models), and a worker that sees the whole project builds each
 * once. An idle worker steals from the longest queue, so a single-project workspace still uses
 * every core, at the price of building that project's model once more.
 */
export class AnalysisPool {
  private readonly slots = new Set<Slot>();
  private readonly owner = new Map<string, Slot>();
  /** Jobs of workers that died when no other worker was left to take them. */
  private readonly orphans: AnalysisJob[] = [];
  private closed = false;
  private stopped = false;
  private drained: ((leftover: AnalysisJob[]) => void) | undefined;
  /** Workers that were busy when the pool stopped: terminated when their batch comes back. */
  private readonly stopping = new Set<Slot>();

  constructor(
    script: string,
    init: WorkerInit,
    size: number,
    private readonly handlers: PoolHandlers,
  ) {
    const WorkerThread = workerClass();
    for (let i = 0; i < Math.max(1, size); i++) {
      let worker: Worker;
      try {
        worker = new WorkerThread(script, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      } catch {
        continue;
      }
      const slot: Slot = { worker, inFlight: [], queue: [], load: 0 };
      this.slots.add(slot);
      worker.on('message', (message: BatchResult) => this.received(slot, message));
      worker.on('error', (e: unknown) => this.failed(slot, e instanceof Error ? e.message : String(e)));
      worker.on('exit', () => this.failed(slot, 'the analysis worker exited'));
    }
  }

  /** Queues a job; `project` groups the files that share per-project work (e.g. the folder with the Gemfile). */
  add(job: AnalysisJob, project: string): void {
    let slot = this.owner.get(project);
    if (!slot || !this.slots.has(slot)) {
      slot = [...this.slots].reduce<Slot | undefined>((best, s) => (!best || s.load < best.load ? s : best), undefined);
      if (!slot) {
        this.orphans.push(job); // every worker failed: finish() hands it back to the caller
        return;
      }
      this.owner.set(project, slot);
    }
    slot.queue.push(job);
    slot.load++;
    if (slot.queue.length >= BATCH_SIZE) this.dispatch();
  }

  /**
   * No more jobs will be added. Resolves when every job is done, with the jobs no worker could
   * take (all workers failed) for the caller to run in-process; an empty list otherwise.
   */
  finish(): Promise<AnalysisJob[]> {
    this.closed = true;
    return new Promise((resolve) => {
      this.drained = resolve;
      this.dispatch();
      this.checkDone();
    });
  }

  /**
   * Stops at once (cancellation): queued jobs are dropped, and jobs in flight abandoned. An idle
   * worker is terminated now, a busy one when its batch comes back: terminating a worker in the
   * middle of a native parse aborts the whole process (tree-sitter 0.21.1's binding throws a
   * Napi::Error nobody can catch), and a worker only takes messages between batches.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const slot of this.slots) {
      slot.queue = [];
      if (slot.inFlight.length === 0) void slot.worker.terminate();
      else this.stopping.add(slot);
    }
    this.slots.clear();
    this.drained?.([]);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.inFlight.length > 0) continue;
      const from = slot.queue.length >= BATCH_SIZE || (this.closed && slot.queue.length > 0) ? slot : this.victim();
      if (!from) continue;
      const batch: JobBatch = { jobs: from.queue.splice(0, BATCH_SIZE) };
      slot.inFlight = batch.jobs;
      slot.worker.postMessage(batch);
    }
  }

  /** The queue an idle worker may steal from: the longest, if it holds more than a batch (any, at the end). */
  private victim(): Slot | undefined {
    let longest: Slot | undefined;
    for (const s of this.slots) if (!longest || s.queue.length > longest.queue.length) longest = s;
    const enough = this.closed ? 1 : 2 * BATCH_SIZE;
    return longest && longest.queue.length >= enough ? longest : undefined;
  }

  private received(slot: Slot, message: BatchResult): void {
    if (this.stopped) {
      if (this.stopping.delete(slot)) void slot.worker.terminate();
      return;
    }
    const byIndex = new Map(slot.inFlight.map((j) => [j.index, j]));
    slot.inFlight = [];
    if (message.refusals) this.handlers.onRefusals?.(message.refusals);
    for (const { index, result } of message.results) {
      const job = byIndex.get(index);
      if (job) this.handlers.onResult(job, result);
    }
    this.dispatch();
    this.checkDone();
  }

  private failed(slot: Slot, message: string): void {
    if (this.stopped || !this.slots.delete(slot)) return;
    void slot.worker.terminate();
    if (slot.inFlight.length > 0) this.handlers.onWorkerFailure(slot.inFlight, message);
    slot.inFlight = [];
    // Its queued jobs go to the surviving workers, or back to the caller when none is left.
    this.orphans.push(...slot.queue.splice(0));
    const heir = [...this.slots][0];
    if (heir) heir.queue.push(...this.orphans.splice(0));
    this.dispatch();
    this.checkDone();
  }

  private checkDone(): void {
    if (!this.closed || !this.drained || this.stopped) return;
    if (this.slots.size === 0) {
      this.finishWith(this.orphans.splice(0));
    } else if ([...this.slots].every((s) => s.inFlight.length === 0 && s.queue.length === 0)) {
      this.finishWith([]);
    }
  }

  private finishWith(leftover: AnalysisJob[]): void {
    const resolve = this.drained;
    this.drained = undefined;
    this.stopped = true;
    for (const slot of this.slots) void slot.worker.terminate();
    this.slots.clear();
    resolve?.(leftover);
  }
}
