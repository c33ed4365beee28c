// What the audit's main thread and its analysis workers send each other. Plain records only:
// they cross the thread boundary by structured clone.

import type { FileResult } from '../core/engine';
import type { FileAccessOptions, Refusal } from '../core/file-access';
import type { ParserBackendName } from '../core/parser-port';
import type { WorkspaceSettings } from '../core/types';

export interface WorkerInit {
  /** The audit root, for the worker's own workspace. */
  root: string;
  /** The FileAccess's roots and named files, so the worker reads no more than the main thread may. */
  roots: string[];
  named: string[];
  /** The main thread's FileAccess options (folders remembered for the run). */
  accessOptions: FileAccessOptions;
  /** The parser binding the main thread installed, so workers parse alike (and never warn again). */
  parser: ParserBackendName;
  /** Project settings rules consult, the same the in-process workspace gets. */
  settings?: WorkspaceSettings;
}

/** One file to analyse, already read (and vetted) by the main thread. `index` orders results. */
export interface AnalysisJob {
  index: number;
  path: string;
  text: string;
}

export interface JobBatch {
  jobs: AnalysisJob[];
}

export interface BatchResult {
  results: { index: number; result: FileResult }[];
  /** Files the worker's rules asked for and its FileAccess refused since the last batch. */
  refusals?: Refusal[];
}
