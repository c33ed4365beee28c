// Entry point of an analysis worker (bundled to server/out/audit-worker.js). Loads each grammar
// once, on first use, and analyses the batches the main thread sends. Files that rules look up
// (config/environments/test.rb, Gemfile.lock, ...) are read through this worker's own cache:
// once per worker, not once per audit.

import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from '../core/engine';
import { FileAccess, type Refusal } from '../core/file-access';
import { SourceCache } from '../files/source-cache';
import { workspaceFor } from './workspace-for';
import { useParser } from '../parsers/select';
import type { BatchResult, JobBatch, WorkerInit } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('initaudit: audit-worker.js runs as a worker thread only');
const { root, roots, named, accessOptions, settings, parser } = workerData as WorkerInit;
useParser(parser);
let refused: Refusal[] = [];
/**
 * Texts a worker keeps of the files its rules look up (least recently used dropped first): more
 * than the most one analysis reads (env-forked-nil-secret's reader search, 3,000 files), so no
 * analysis reads a file twice.
 */
const KEPT_TEXTS = 4000;
const workspace = workspaceFor(root, new SourceCache(new FileAccess(roots, named, (r) => refused.push(r), accessOptions), KEPT_TEXTS));
if (settings) workspace.settings = settings;

port.on('message', (batch: JobBatch) => {
  void (async () => {
    const out: BatchResult = { results: [] };
    for (const job of batch.jobs) {
      // analyzeFile never throws for anything about a file's content.
      out.results.push({ index: job.index, result: await analyzeFile({ path: job.path, text: job.text }, workspace) });
    }
    if (refused.length > 0) [out.refusals, refused] = [refused, []];
    port.postMessage(out);
  })();
});
