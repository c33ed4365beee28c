// lockfile-major-drift: a package whose first version number changed between the base of a change
// and now, judged by who depends on it, whether any of them caps it, whether production reaches
// it, and whether the app asked for it; and, on any audit, a known-incompatible pair the lockfile
// resolves (connection_pool 3 with a Sidekiq that calls TimedStack#pop positionally).
// Gemfile.lock (with the Gemfile's groups) and package-lock.json. See docs/rules/lockfile-major-drift.md.

import { basename, dirname, join } from 'node:path';
import { baseLabelOf, baseTextOf } from '../change';
import { pinGemFix } from '../fixes/pin-gem';
import { satisfies } from '../knowledge/versions';
import { majorDrifts, type Drift } from '../lockfiles/drift';
import { changedGemRequirements, gemGraph } from '../lockfiles/gem-graph';
import { parseGemLockfile, type GemLockfile } from '../lockfiles/gemfile-lock';
import { readGemfile, type GemfileModel } from '../lockfiles/gemfile-groups';
import type { LockGraph, LockNode } from '../lockfiles/graph';
import { INCOMPATIBLE_PAIRS, type IncompatiblePair } from '../lockfiles/incompatible';
import { conflictWording, dependentNote, driftWording, incompatibleWording, staleDriftWording } from '../lockfiles/messages';
import { changedNpmRanges, parseNpmLockfile } from '../lockfiles/npm-graph';
import { gemRequirementsAdmit } from '../lockfiles/requirements';
import { npmTooling, rubygemsTooling } from '../lockfiles/tooling';
import { docsUrl, type Report, type Rule, type TextRuleContext } from '../rule';
import { LineIndex } from '../text';
import type { Fix, RelatedLocation, Severity } from '../types';
import { quote } from '../wording';

const ID = 'lockfile-major-drift';

const GEM_LOCKFILES: Readonly<Record<string, string>> = { 'Gemfile.lock': 'Gemfile', 'gems.locked': 'gems.rb' };

export const lockfileMajorDrift: Rule = {
  meta: {
    id: ID,
    title: 'Lockfile dependency crossed a major version',
    defaultSeverity: 'warning',
    description:
      'A dependency in Gemfile.lock or package-lock.json moved to a new major version compared with the base of the change, ' +
      'and no package that depends on it caps it, on a path production runs; or the lockfile resolves a pair of versions known to break each other.',
    docsUrl: docsUrl(ID),
  },
  languages: ['lockfile'],
  triggers: { lockfile: ['specs:', '"packages"', '<<<<<<<'] },
  nodeTypes: [],
  // The pin fix parses the Gemfile, and groups come from it.
  readsLanguages: ['ruby'],
  comparesWithBase: true,
  create: () => ({ enter: () => undefined }),
  scanText(ctx) {
    const name = basename(ctx.file.path);
    if (name in GEM_LOCKFILES) gemLockfile(ctx, GEM_LOCKFILES[name]!);
    else npmLockfile(ctx);
  },
};

const CONFLICT = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/m;

function reportConflict(ctx: TextRuleContext, line: number, ecosystem: 'rubygems' | 'npm'): void {
  const text = ctx.lines.lineText(line);
  ctx.report({ range: { start: { line, character: 0 }, end: { line, character: text.length } }, ...conflictWording(basename(ctx.file.path), line, ecosystem) });
}

function gemLockfile(ctx: TextRuleContext, gemfileName: string): void {
  const lock = parseGemLockfile(ctx.file.text);
  if (lock.conflictLines.length > 0) return reportConflict(ctx, lock.conflictLines[0]!, 'rubygems');
  const gemfilePath = join(dirname(ctx.file.path), gemfileName);
  const gemfileText = ctx.workspace.readFile(gemfilePath);
  const gemfile = gemfileText !== undefined ? readGemfile(gemfileText) : undefined;
  const head = gemGraph(lock, gemfile);
  const drifts = new Map(gemDrifts(ctx, lock, head).map((d) => [d.node.key, d]));
  const pin = (gem: string, requirement: string, comment: string): (() => Fix[]) | undefined =>
    gemfile && gemfileText !== undefined ? () => [pinGemFix({ gemfilePath, gemfileText, gemfile, gem, requirement, comment })].filter((f): f is Fix => !!f) : undefined;
  const reported = new Set<string>();

  for (const { pair, node, dependent } of resolvedPairs(head, 'rubygems')) {
    const drift = drifts.get(node.key);
    const stale = stalePin(gemfile, node);
    const wording = incompatibleWording(pair, node.version, dependent.version, drift, stale, 'rubygems');
    const related: RelatedLocation[] = [
      { path: ctx.file.path, range: dependent.range, message: `Resolved ${quote(pair.dependent)} ${dependent.version}, which breaks with it (fixed in ${pair.fixedIn}).` },
      ...dependentsRelated(ctx, drift, 'rubygems'),
    ];
    const fixes = stale ? undefined : pin(pair.package, pair.pin.requirement, pair.pin.comment);
    report(ctx, node, 'error', wording, related, fixes);
    reported.add(node.key);
  }

  const label = baseLabelOf(ctx.workspace, ctx.file.path) ?? 'the base';
  for (const drift of drifts.values()) {
    if (reported.has(drift.node.key) || drift.kind === 'intentional' || drift.kind === 'capped') continue;
    const requirement = pinFor(drift.from);
    const stale = stalePin(gemfile, drift.node);
    const comment = `${drift.node.name} ${majorLabel(drift.to)} crossed a major version that no dependent caps; remove this pin once its dependents support ${majorLabel(drift.to)}.`;
    const wording = stale ? staleDriftWording(drift, stale) : driftWording(drift, 'rubygems', label, requirement && drift.kind === 'uncapped' ? pinCode(drift.node.name, requirement) : undefined);
    const fixes = !stale && drift.kind === 'uncapped' && requirement ? pin(drift.node.name, requirement, comment) : undefined;
    report(ctx, drift.node, severityOf(drift), wording, dependentsRelated(ctx, drift, 'rubygems'), fixes);
  }
}

function gemDrifts(ctx: TextRuleContext, lock: GemLockfile, head: LockGraph): Drift[] {
  const baseText = baseTextOf(ctx.workspace, ctx.file.path);
  if (typeof baseText !== 'string' || CONFLICT.test(baseText)) return [];
  const baseLock = parseGemLockfile(baseText);
  return majorDrifts(gemGraph(baseLock, undefined), head, { tooling: rubygemsTooling, intentional: changedGemRequirements(baseLock, lock) });
}

function npmLockfile(ctx: TextRuleContext): void {
  const conflict = CONFLICT.exec(ctx.file.text);
  if (conflict) return reportConflict(ctx, ctx.lines.positionAt(conflict.index).line, 'npm');
  const lock = parseNpmLockfile(ctx.file.text, ctx.lines);
  if (!lock) return;
  const reported = new Set<string>();
  const baseText = baseTextOf(ctx.workspace, ctx.file.path);
  const base = typeof baseText === 'string' && !CONFLICT.test(baseText) ? parseNpmLockfile(baseText, new LineIndex(baseText)) : undefined;
  const drifts = base
    ? majorDrifts(base.graph, lock.graph, { tooling: npmTooling, intentional: new Set([...changedNpmRanges(base, lock)].map((n) => `node_modules/${n}`)) })
    : [];
  for (const { pair, node, dependent } of resolvedPairs(lock.graph, 'npm')) {
    const drift = drifts.find((d) => d.node.key === node.key);
    report(ctx, node, 'error', incompatibleWording(pair, node.version, dependent.version, drift, undefined, 'npm'), dependentsRelated(ctx, drift, 'npm'), undefined);
    reported.add(node.key);
  }
  const label = baseLabelOf(ctx.workspace, ctx.file.path) ?? 'the base';
  for (const drift of drifts) {
    if (reported.has(drift.node.key) || drift.kind === 'intentional' || drift.kind === 'capped') continue;
    report(ctx, drift.node, severityOf(drift), driftWording(drift, 'npm', label, undefined), dependentsRelated(ctx, drift, 'npm'), undefined);
  }
}

/** Known-incompatible pairs whose both sides the lockfile resolves. */
function resolvedPairs(graph: LockGraph, ecosystem: IncompatiblePair['ecosystem']): { pair: IncompatiblePair; node: LockNode; dependent: LockNode }[] {
  const out: { pair: IncompatiblePair; node: LockNode; dependent: LockNode }[] = [];
  for (const pair of INCOMPATIBLE_PAIRS) {
    if (pair.ecosystem !== ecosystem) continue;
    const nodes = [...graph.nodes.values()];
    for (const node of nodes.filter((n) => n.name === pair.package && meetsAll(n.version, pair.breaking))) {
      const dependent = nodes.find((n) => n.name === pair.dependent && meetsAll(n.version, pair.dependentVersions));
      if (dependent) out.push({ pair, node, dependent });
    }
  }
  return out;
}

function meetsAll(version: string, constraints: readonly string[]): boolean {
  return constraints.every((c) => satisfies(version, c) === true);
}

function severityOf(drift: Drift): Severity {
  return drift.kind === 'uncapped' ? 'warning' : 'info';
}

/** The Gemfile's own requirement, when it already excludes the locked version: Gemfile.lock was not re-resolved. */
function stalePin(gemfile: GemfileModel | undefined, node: LockNode): string | undefined {
  const decl = gemfile?.gems.get(node.name)?.find((d) => d.requirements.length > 0);
  if (!decl) return undefined;
  return gemRequirementsAdmit(decl.requirements, node.version) === false ? decl.requirements.join(', ') : undefined;
}

/** `~> 2.5` from the base version 2.5.5: the base's major and minor, so patches and minors still flow. */
function pinFor(version: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  return m ? `~> ${m[1]}.${m[2] ?? '0'}` : undefined;
}

function majorLabel(version: string): string {
  return `${/^\d+/.exec(version)?.[0] ?? version}.x`;
}

function pinCode(gem: string, requirement: string): string {
  return `\`gem "${gem}", "${requirement}"\``;
}

function dependentsRelated(ctx: TextRuleContext, drift: Drift | undefined, ecosystem: 'rubygems' | 'npm'): RelatedLocation[] {
  if (!drift) return [];
  return drift.dependents.map((d) => ({ path: ctx.file.path, range: d.edge.range, message: dependentNote(d, ecosystem) }));
}

function report(ctx: TextRuleContext, node: LockNode, severity: Severity, wording: { message: string; details: string }, related: RelatedLocation[], fixes: Report['fixes'] | undefined): void {
  ctx.report({ range: node.range, severity, message: wording.message, details: wording.details, related, ...(fixes && !ctx.withoutFixes ? { fixes } : {}) });
}
