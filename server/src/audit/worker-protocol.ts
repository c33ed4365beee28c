// What the audit's main thread and its analysis workers send each other. Plain records only:
// they cross the thread boundary by structured clone.

import type { FileResult } from '../core/engine';
import type { WorkspaceSettings } from '../core/types';

export interface WorkerInit {
  /** The audit root, for the worker's own workspace. */
  root: string;
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
}
