#!/usr/bin/env node
// Runs the built CLI on a folder of checkouts of the TypeScript advisory-lock projects listed in
// ts-projects.json and scores its findings against hand labels (one row per call site).
//
//   node bench/real-code/run-ts.mjs --checkouts DIR --labels FILE [--split tuning|heldout|all] [--out DIR]
//
// DIR holds one folder per project (`owner+name`, or `owner+name@commit8` for a pinned commit), as
// ts-projects.json names them. FILE is labels.json (an array of rows) or a labels.tsv with the
// columns repo, folder, path, line, library, verdict (bug/safe/unknown), expectedRule, shape, split?.
// A finding matches a labelled site in the same file within LINE_SLACK lines. Prints per-project
// results and per-rule precision and recall; never copies project code anywhere.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../../server/out/cli.js');
const LOCK_RULES = ['session-lock-on-pool', 'xact-lock-outside-transaction', 'session-lock-in-transaction', 'session-lock-behind-pooler'];
const LINE_SLACK = 3;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const checkouts = opt('checkouts');
const labelsFile = opt('labels');
const split = opt('split', 'all');
const outDir = opt('out');
if (!checkouts || !labelsFile) {
  console.error('usage: run-ts.mjs --checkouts DIR --labels FILE [--split tuning|heldout|all] [--out DIR]');
  process.exit(2);
}

const projects = JSON.parse(readFileSync(join(here, 'ts-projects.json'), 'utf8')).projects;
const splitOf = new Map(projects.map((p) => [p.repo, p.split]));

function readLabels(file) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const json = JSON.parse(text);
    return Array.isArray(json) ? json : (json.sites ?? json.labels ?? []);
  }
  const [head, ...rows] = text.split('\n').filter((l) => l.trim());
  const cols = head.split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])));
}

const labels = readLabels(labelsFile)
  .map((l) => ({ ...l, line: Number(l.line), split: l.split ?? splitOf.get(l.repo) }))
  .filter((l) => split === 'all' || l.split === split);
const folders = [...new Set(labels.map((l) => l.folder))].sort();

const findingsOf = new Map();
for (const folder of folders) {
  const dir = join(checkouts, folder);
  if (!existsSync(dir)) {
    console.error(`missing checkout: ${dir}`);
    continue;
  }
  let out;
  try {
    out = execFileSync(process.execPath, [cli, dir, '--format', 'json', '--fail-on', 'never'], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], timeout: 600_000 }).toString();
  } catch (e) {
    out = e.stdout?.toString() ?? '{"findings":[]}';
  }
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `${folder}.json`), out);
  }
  const report = JSON.parse(out);
  findingsOf.set(
    folder,
    (report.findings ?? []).filter((f) => LOCK_RULES.includes(f.ruleId) && (f.severity === 'error' || f.severity === 'warning')),
  );
}

// A finding covers a site at its own range or at a related location (the unlock of a reported lock).
const at = (path, range, l) => path === l.path && Math.abs(range.start.line + 1 - l.line) <= LINE_SLACK;
const near = (f, l) => at(f.path, f.range, l) || (f.related ?? []).some((r) => at(r.path, r.range, l));
const perRule = Object.fromEntries(LOCK_RULES.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
const rows = [];
const unlabelled = [];
for (const folder of folders) {
  const fs = findingsOf.get(folder) ?? [];
  const sites = labels.filter((l) => l.folder === folder);
  const row = { folder, split: sites[0]?.split, bugs: 0, found: 0, safe: 0, flaggedSafe: 0, misses: [], falsePositives: [] };
  for (const l of sites) {
    const hits = fs.filter((f) => near(f, l));
    if (l.verdict === 'bug') {
      row.bugs++;
      const rule = l.expectedRule;
      if (hits.some((f) => f.ruleId === rule)) {
        row.found++;
        perRule[rule].tp++;
      } else {
        if (perRule[rule]) perRule[rule].fn++;
        row.misses.push(`${l.path}:${l.line} (${l.shape})`);
      }
      for (const f of hits) if (f.ruleId !== rule) perRule[f.ruleId].fp++;
    } else if (l.verdict === 'safe') {
      row.safe++;
      if (hits.length) {
        row.flaggedSafe++;
        row.falsePositives.push(`${l.path}:${l.line} ${hits.map((f) => f.ruleId).join(',')} (${l.shape})`);
        for (const f of hits) perRule[f.ruleId].fp++;
      }
    }
  }
  for (const f of fs) if (!sites.some((l) => near(f, l))) unlabelled.push(`${folder} ${f.path}:${f.range.start.line + 1} ${f.ruleId}`);
  rows.push(row);
}

const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : 'n/a');
console.log(`split: ${split}`);
console.log('| Project | Split | Bug sites found | Safe sites flagged | Misses | False positives |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.folder} | ${r.split} | ${r.found}/${r.bugs} | ${r.flaggedSafe}/${r.safe} | ${r.misses.join('; ') || '–'} | ${r.falsePositives.join('; ') || '–'} |`);
const bugs = rows.reduce((a, r) => a + r.bugs, 0);
const found = rows.reduce((a, r) => a + r.found, 0);
const safe = rows.reduce((a, r) => a + r.safe, 0);
const flagged = rows.reduce((a, r) => a + r.flaggedSafe, 0);
console.log(`\nbug sites found: ${found}/${bugs} (${pct(found, bugs)}); safe sites flagged: ${flagged}/${safe}`);
// A bug is one lock/unlock defect: the labelled sites of one shape in one file; reported when any of its sites is.
const bugGroups = new Map();
for (const l of labels.filter((x) => x.verdict === 'bug')) {
  const key = `${l.folder}\0${l.path}\0${l.shape}`;
  const hit = (findingsOf.get(l.folder) ?? []).some((f) => f.ruleId === l.expectedRule && near(f, l));
  bugGroups.set(key, (bugGroups.get(key) ?? false) || hit);
}
const bugsFound = [...bugGroups.values()].filter(Boolean).length;
console.log(`bugs (lock/unlock defects, one per file and shape) reported: ${bugsFound}/${bugGroups.size} (${pct(bugsFound, bugGroups.size)})`);
console.log('\n| Rule | TP | FP | FN | Precision | Recall |');
console.log('|---|---|---|---|---|---|');
for (const [rule, c] of Object.entries(perRule)) console.log(`| ${rule} | ${c.tp} | ${c.fp} | ${c.fn} | ${pct(c.tp, c.tp + c.fp)} | ${pct(c.tp, c.tp + c.fn)} |`);
if (unlabelled.length) console.log(`\nfindings at no labelled site (judge by hand):\n${unlabelled.map((u) => `  ${u}`).join('\n')}`);
