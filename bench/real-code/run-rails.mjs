#!/usr/bin/env node
// Runs the built CLI on a folder of checkouts of the Rails apps in rails-apps.json and scores its
// warnings and errors against the hand labels in rails-labels.json:
//   - recall: a labelled env-fork defect is found when an env-forked-nil-secret finding is in the
//     same file within LINE_SLACK lines (or a few more above, when the label marks the fork's line, or
//     within the finding's related fork); an implicit-key defect when the app has an
//     implicit-gem-key-lookup finding naming the same setting (it is reported once per app);
//   - known false positives: findings on a labelled benign look-alike;
//   - precision, when --judged names a file of verdicts ({ repo, ruleId, path, line, verdict: TP|FP, shape? }).
// Findings neither labelled nor judged are listed as unjudged, to be judged by hand.
//
//   node bench/real-code/run-rails.mjs --checkouts DIR [--split tuning|heldout|all] [--judged FILE] [--out DIR]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../../server/out/cli.js');
const LINE_SLACK = 3;
/** How far below a finding the labelled fork line may be: a block installed under a trailing modifier. */
const FORK_BELOW = 12;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const checkouts = opt('checkouts');
const split = opt('split', 'all');
const judgedFile = opt('judged');
const outDir = opt('out');
if (!checkouts) {
  console.error('usage: run-rails.mjs --checkouts DIR [--split tuning|heldout|all] [--judged FILE] [--out DIR]');
  process.exit(2);
}
// Another corpus (a fresh held-out set) can be named: --apps FILE (an array, or { apps }) and --labels FILE.
const appsJson = JSON.parse(readFileSync(opt('apps', join(here, 'rails-apps.json')), 'utf8'));
const apps = (Array.isArray(appsJson) ? appsJson : appsJson.apps)
  .map((a) => ({ ...a, folder: a.folder.split('/').pop(), split: a.split ?? 'heldout' }))
  .filter((a) => split === 'all' || a.split === split);
const labels = JSON.parse(readFileSync(opt('labels', join(here, 'rails-labels.json')), 'utf8'));
const judged = judgedFile ? JSON.parse(readFileSync(judgedFile, 'utf8')) : [];
if (outDir) mkdirSync(outDir, { recursive: true });

/** The words of a labelled setting that an implicit-key finding's message or hover would name. */
const settingWord = (setting) => (setting.match(/BlindIndex|Lockbox|Active Record|active_record_encryption|Mission ?Control|Pay|Stripe|Aws|AWS|Action Mailbox|ingress|Devise|KmsEncrypted|Flipper|reCAPTCHA|recaptcha|secret_key_base/i)?.[0] ?? setting).toLowerCase().replace(/_/g, ' ');

const totals = { findings: 0, byRule: {}, defects: 0, found: 0, onBenign: 0, tp: 0, fp: 0, unjudged: 0 };
for (const app of apps) {
  const dir = join(checkouts, app.folder);
  if (!existsSync(dir)) {
    console.error(`missing checkout: ${dir}`);
    continue;
  }
  let out;
  try {
    out = execFileSync('node', [cli, dir, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 600_000 });
  } catch (e) {
    out = e.stdout ?? '{"findings":[]}';
  }
  if (outDir) writeFileSync(join(outDir, `${app.folder}.json`), out);
  const all = JSON.parse(out).findings;
  const findings = all.filter((f) => f.severity === 'error' || f.severity === 'warning');
  const mine = labels.filter((l) => l.repo === app.repo);
  console.log(`\n${app.repo} (${app.split}, Rails ${app.rails}): ${findings.length} warnings and errors`);
  for (const f of findings) {
    totals.findings++;
    totals.byRule[f.ruleId] ??= { findings: 0, tp: 0, fp: 0 };
    totals.byRule[f.ruleId].findings++;
    const near = (l) => l.path === f.path && Math.abs(l.line - f.line) <= LINE_SLACK;
    const benign = mine.find((l) => l.benign && near(l));
    const verdict = judged.find((j) => j.repo === app.repo && j.ruleId === f.ruleId && j.path === f.path && j.line === f.line);
    if (benign) totals.onBenign++;
    if (verdict) {
      totals[verdict.verdict === 'TP' ? 'tp' : 'fp']++;
      totals.byRule[f.ruleId][verdict.verdict === 'TP' ? 'tp' : 'fp']++;
    } else totals.unjudged++;
    const tag = verdict ? verdict.verdict : benign ? 'on a benign look-alike' : 'unjudged';
    console.log(`  ${f.severity} ${f.ruleId} ${f.path}:${f.line} [${tag}] ${f.message}`);
  }
  for (const d of mine.filter((l) => !l.benign)) {
    totals.defects++;
    const hit =
      d.kind === 'env-fork'
        ? // A label may mark the fork's line (`end if Rails.env.production?`), below the call the finding names.
          // Or the finding's related fork (`if Rails.env.production?` a few lines above a nested branch).
          findings.some(
            (f) =>
              f.ruleId === 'env-forked-nil-secret' &&
              f.path === d.path &&
              ((d.line >= f.line - LINE_SLACK && d.line <= f.line + FORK_BELOW) ||
                (f.related ?? []).some((r) => r.path === d.path && d.line >= r.range.start.line + 1 - LINE_SLACK && d.line <= r.range.end.line + 1)),
          )
        : // An implicit key is found at any severity: secret_key_base from ENV only is at most info, by design.
          all.some((f) => f.ruleId === 'implicit-gem-key-lookup' && `${f.message} ${f.details ?? ''}`.toLowerCase().replace(/_/g, ' ').includes(settingWord(d.setting)));
    if (hit) totals.found++;
    console.log(`  defect ${d.kind} ${d.path}:${d.line} (${d.shape}): ${hit ? 'found' : 'MISSED'}`);
  }
}
console.log('\nTotals');
console.log(`  warnings and errors: ${totals.findings}; judged TP ${totals.tp}, FP ${totals.fp}, unjudged ${totals.unjudged}; on labelled benign look-alikes ${totals.onBenign}`);
for (const [rule, r] of Object.entries(totals.byRule)) console.log(`  ${rule}: ${r.findings} findings, TP ${r.tp}, FP ${r.fp}`);
console.log(`  labelled defects found: ${totals.found}/${totals.defects}`);
