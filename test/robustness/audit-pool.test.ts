// The workspace audit's worker pool (audit/pool.ts) gives exactly the in-process result, in the
// same order, and stops when cancelled. Uses the bundled server/out/audit-worker.js.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { audit, POOL_MIN_JOBS, type AuditResult } from '../../server/src/audit/run';
import { findWorkerScript } from '../../server/src/audit/pool';
import { SourceCache } from '../../server/src/files/source-cache';
import { removeWorkspaces, workspace } from '../cli/helpers';
import { FileAccess } from '../../server/src/core/file-access';

function railsApps(apps: number, perApp: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let a = 0; a < apps; a++) {
    const root = `apps/app${a}`;
    files[`${root}/Gemfile`] = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n';
    files[`${root}/config/application.rb`] = `module App${a}\n  class Application < Rails::Application\n  end\nend\n`;
    for (let i = 0; i < perApp; i++) {
      files[`${root}/config/initializers/k${i}.rb`] =
        i % 3 === 0
          ? `config.x.partner${i}_api_key = Rails.env.test? ? nil : Chamber.dig(:partner${i}, :api_key)\n`
          : `config.x.batch${i}_size = Rails.env.production? ? ${i * 10} : ${i}\n`;
      files[`${root}/app/models/m${i}.rb`] = i % 5 === 0 ? `class M${i} < ApplicationRecord\n  has_encrypted :note\nend\n` : `class M${i} < ApplicationRecord\nend\n`;
    }
  }
  return files;
}

/** What a user sees of a result, without timing-dependent parts. */
function visible(r: AuditResult): unknown {
  return { files: r.files, findings: r.findings.map((f) => [f.path, f.ruleId, f.range.start.line, f.message, f.fixes.map((x) => x.title)]), skipped: r.skipped, errors: r.errors };
}

suite('robustness: the audit worker pool', () => {
  suiteTeardown(removeWorkspaces);

  test('the bundled worker is found', () => {
    const script = findWorkerScript();
    assert.ok(script && existsSync(script), 'server/out/audit-worker.js is missing: run `npm run build`');
  });

  test('pool and in-process audits give the same findings in the same order', async function () {
    this.timeout(120_000);
    const root = workspace(railsApps(4, 40));
    const targets = { root, targets: [{ path: root, kind: 'dir' as const }] };
    const inProcess = await audit(targets, new SourceCache(new FileAccess([root])), { workers: 0 });
    const progress: number[] = [];
    const pooled = await audit(targets, new SourceCache(new FileAccess([root])), { workers: 2, onProgress: (done) => progress.push(done) });
    assert.ok(inProcess.findings.length >= 4 * 14, `too few findings to compare: ${inProcess.findings.length}`);
    assert.ok(inProcess.findings.length > 0 && inProcess.files.length > POOL_MIN_JOBS);
    assert.deepEqual(visible(pooled), visible(inProcess));
    // Progress counts every file once and ends at the total.
    assert.equal(progress.at(-1), pooled.files.length);
  });

  test('cancelling a pooled audit stops it and says so', async function () {
    this.timeout(120_000);
    const root = workspace(railsApps(3, 60));
    const controller = new AbortController();
    const result = await audit({ root, targets: [{ path: root, kind: 'dir' }] }, new SourceCache(new FileAccess([root])), {
      workers: 2,
      signal: controller.signal,
      onProgress: (done, total) => {
        if (done === Math.floor(total / 2)) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(result.files.length < 3 * 122, `analysed ${result.files.length} files after cancelling`);
  });
});
