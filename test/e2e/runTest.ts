// The same e2e suite under @vscode/test-electron, for a machine that can download VS Code
// (`node build/e2e/runTest.js` after `npm run build` and `tsc -p test/e2e`). These CI machines
// cannot (no internet beyond npm and apt), so `npm run test:e2e` uses scripts/e2e/run-code-server.mjs.

import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import type { E2eResult } from './index';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const run = mkdtempSync(join(tmpdir(), 'initaudit-e2e-'));
  // A copy: the quick fix and the exported report write into the workspace.
  const workspace = join(run, 'examples');
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  const resultFile = join(run, 'result.json');
  let failedToRun = false;
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'index.js'),
      extensionTestsEnv: { INITAUDIT_E2E_RESULT: resultFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (e) {
    failedToRun = true;
    console.error(e instanceof Error ? e.message : String(e));
  }
  const result: E2eResult | undefined = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as E2eResult) : undefined;
  const passed = result?.passed ?? 0;
  const failed = (result?.failed ?? 0) + (failedToRun && !result?.failed ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed${result?.pending ? `, ${result.pending} pending` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
