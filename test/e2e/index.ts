// The extension host's test entry (`extensionTestsPath`): runs the mocha suite inside VS Code
// and writes a small result file for the runner, which prints "N passed, N failed". Works the
// same under @vscode/test-electron (runTest.ts) and code-server (scripts/e2e/run-code-server.mjs).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface E2eResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  pendingTitles: string[];
}

export function run(): Promise<void> {
  // INITAUDIT_E2E_GREP runs only the tests whose title matches (while working on one).
  const grep = process.env['INITAUDIT_E2E_GREP'];
  const mocha = new Mocha({ ui: 'tdd', timeout: 90_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  mocha.addFile(join(__dirname, 'extension.test.js'));
  mocha.addFile(join(__dirname, 'lockfile.test.js'));
  const result: E2eResult = { passed: 0, failed: 0, pending: 0, failures: [], pendingTitles: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env['INITAUDIT_E2E_RESULT'];
      if (file) writeFileSync(file, JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(`${failures} e2e tests failed`));
      else resolve();
    });
    runner.on('pass', () => result.passed++);
    runner.on('pending', (t) => {
      result.pending++;
      result.pendingTitles.push(t.fullTitle());
    });
    runner.on('fail', (t, err: unknown) => {
      result.failed++;
      result.failures.push({ title: t.fullTitle(), error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    });
  });
}
