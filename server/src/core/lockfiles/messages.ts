// Findings of lockfile-major-drift: one sentence (what moved, who lets it, the consequence) and
// Markdown details (dependents and their requirements, the runtime path, the pin, sources).
// Names and versions only: a lockfile holds no secrets, but wording stays to what it resolved.

import { citeClaims } from '../knowledge/claims';
import { capitalize, code, fit, quote } from '../wording';
import type { Dependent, Drift } from './drift';
import type { Ecosystem } from './graph';
import type { IncompatiblePair } from './incompatible';

export interface DriftWording {
  message: string;
  details: string;
}

const NOUN: Record<Ecosystem, string> = { rubygems: 'Gem', npm: 'Package' };
const APP: Record<Ecosystem, string> = { rubygems: 'the Gemfile', npm: 'package.json' };
const APP_SHORT: Record<Ecosystem, string> = { rubygems: 'Gemfile', npm: 'package.json' };

function requirementClaims(ecosystem: Ecosystem): string[] {
  return ecosystem === 'rubygems' ? ['rubygems.pessimistic', 'rubygems.bare-dependency'] : ['npm.semver-ranges', 'npm.dev-flag'];
}

/** `sidekiq >= 2.3.0`, `redis-client any`: a dependent and its requirement, for the message. */
function short(d: Dependent, ecosystem: Ecosystem): string {
  return `${d.name ?? APP_SHORT[ecosystem]} ${d.edge.requirement}`;
}

function dependentLine(d: Dependent, ecosystem: Ecosystem): string {
  const who = d.name ? `${code(d.name)}${d.version ? ` ${d.version}` : ''}` : APP[ecosystem];
  const req = d.edge.requirement === 'any' ? 'any version' : code(d.edge.requirement);
  const cap = d.edge.caps === false ? 'no ceiling' : d.edge.caps === undefined ? 'not a version range' : 'capped';
  return `${who}: ${req} (${cap})`;
}

/** The related-location text on a dependent's requirement line. */
export function dependentNote(d: Dependent, ecosystem: Ecosystem): string {
  const req = d.edge.requirement === 'any' ? 'any version' : d.edge.requirement;
  const cap = d.edge.caps === false ? ', with no ceiling' : '';
  return d.name ? `Dependent ${quote(d.name)}${d.version ? ` ${d.version}` : ''} requires ${req}${cap}.` : `The app requires ${req} in ${APP[ecosystem]}${cap}.`;
}

function pathLine(drift: Drift): string | undefined {
  if (!drift.path) return undefined;
  return drift.path.length > 1 ? `Runtime path: ${drift.path.map(code).join(' → ')}.` : `Runtime path: a direct dependency outside the development and test groups.`;
}

function via(drift: Drift): string {
  const root = drift.path?.[0];
  return root && drift.path && drift.path.length > 1 ? `on the runtime path via ${quote(root)}` : 'on the runtime path';
}

export function driftWording(drift: Drift, ecosystem: Ecosystem, baseLabel: string, pin: string | undefined): DriftWording {
  const name = quote(drift.node.name);
  const moved = `${NOUN[ecosystem]} ${name} ${drift.from} → ${drift.to} crosses a major version`;
  const deps = drift.dependents.map((d) => short(d, ecosystem));
  const shown = deps.length > 3 ? [...deps.slice(0, 3), `${deps.length - 3} more`] : deps;
  let message: string;
  switch (drift.kind) {
    case 'uncapped':
      message = fit(
        `${NOUN[ecosystem]} ${name} ${drift.from} → ${drift.to} crosses a major that no dependent caps (${shown.join(', ')}), ${via(drift)}.`,
        `${moved} and no dependent caps it, ${via(drift)}.`,
        `${moved} that no dependent caps, on the runtime path.`,
      );
      break;
    case 'capped':
    case 'partly-capped': {
      const vouches = (d: Dependent): boolean => d.edge.caps !== false || d.edge.admits?.(drift.from) === false;
      const capper = drift.dependents.find((d) => d.name && vouches(d));
      const who = capper?.name ? quote(capper.name) : APP[ecosystem];
      const open = drift.dependents.filter((d) => d.name && !vouches(d)).map((d) => short(d, ecosystem));
      const openShown = open.length > 2 ? [...open.slice(0, 2), `${open.length - 2} more`] : open;
      message = fit(
        `${moved}, which ${who} allows with ${capper?.edge.requirement ?? 'its requirement'}, but ${openShown.join(', ')} set${open.length === 1 ? 's' : ''} no ceiling.`,
        `${moved} that ${who} allows, but ${open.length} other dependent${open.length === 1 ? ' sets' : 's set'} no ceiling.`,
        `${moved}, but not every dependent caps it.`,
      );
      break;
    }
    case 'downgrade':
      message = fit(`${NOUN[ecosystem]} ${name} ${drift.from} → ${drift.to} moves back to an older major version.`);
      break;
    case 'tooling':
      message = fit(
        `${moved}, but it is ${drift.tooling} tooling, which ${drift.tooling === 'test' ? 'fails in CI rather than in production' : 'production does not run'}.`,
        `${moved}, but it is ${drift.tooling} tooling.`,
      );
      break;
    case 'dev-only':
      message = fit(
        ecosystem === 'npm' ? `${moved}, but only development dependencies reach it.` : `${moved}, but only development and test gems reach it.`,
      );
      break;
    case 'direct':
      message = fit(
        `Direct dependency ${name} ${drift.from} → ${drift.to} crosses a major version that ${APP[ecosystem]} accepts, so the app's own tests can catch what changed.`,
        `Direct dependency ${name} ${drift.from} → ${drift.to} crosses a major version that ${APP[ecosystem]} accepts.`,
      );
      break;
    case 'intentional':
      message = fit(`${moved}, as ${APP[ecosystem]} asks.`);
      break;
  }
  const details = [
    `${code(drift.node.name)} ${drift.from} → ${drift.to}, compared with ${code(baseLabel)}.`,
    '',
    ...(drift.dependents.length ? [`- Dependents: ${drift.dependents.map((d) => dependentLine(d, ecosystem)).join('; ')}.`] : ['- Nothing in the lockfile depends on it.']),
    ...(pathLine(drift) ? [`- ${pathLine(drift)}`] : []),
    ...(drift.kind === 'uncapped' ? [`- ${capitalize(APP[ecosystem])} did not change its requirement, so nobody chose this major: a dependency's floor with no ceiling let it float.`] : []),
    ...(drift.kind === 'tooling' ? [`- ${drift.tooling === 'test' ? 'Test tooling fails loudly in CI when it breaks' : 'Tooling does not run in production'}; listed as tooling in initaudit's data even when a runtime gem pulls it.`] : []),
    ...(pin ? ['', `To keep the last major until its dependents are checked against ${drift.to}, pin it: ${pin}.`] : []),
    '',
    `Sources: ${citeClaims(requirementClaims(ecosystem))}.`,
  ].join('\n');
  return { message, details };
}

export function incompatibleWording(pair: IncompatiblePair, version: string, dependentVersion: string, drift: Drift | undefined, stalePin: string | undefined, ecosystem: Ecosystem): DriftWording {
  const name = quote(pair.package);
  const moved = drift ? `${drift.from} → ${version}` : version;
  const message = stalePin
    ? fit(
        `Gemfile.lock still resolves ${name} ${version}, which breaks ${quote(pair.dependent)} ${dependentVersion}, though the Gemfile pins ${quote(stalePin)}: run bundle lock --update ${pair.package}.`,
        `Gemfile.lock still resolves ${name} ${version} with ${quote(pair.dependent)} ${dependentVersion}: run bundle lock --update ${pair.package}.`,
      )
    : fit(
        `${NOUN[ecosystem]} ${name} ${moved} breaks ${quote(pair.dependent)} ${dependentVersion}: ${pair.effect}.`,
        `${NOUN[ecosystem]} ${name} ${moved} breaks ${quote(pair.dependent)} ${dependentVersion}.`,
      );
  const details = [
    `${code(pair.package)} ${version} is resolved with ${code(pair.dependent)} ${dependentVersion}${drift ? ` (it was ${drift.from} at the base)` : ''}.`,
    '',
    pair.explanation,
    '',
    ...(drift?.dependents.length ? [`- Dependents: ${drift.dependents.map((d) => dependentLine(d, ecosystem)).join('; ')}.`] : []),
    ...(drift && pathLine(drift) ? [`- ${pathLine(drift)}`] : []),
    `- Either upgrade ${code(pair.dependent)} to ${pair.fixedIn} or later, or pin ${code(`gem "${pair.package}", "${pair.pin.requirement}"`)} in the Gemfile and run ${code(`bundle lock --update ${pair.package}`)}.`,
    ...(stalePin ? [`- The Gemfile already pins ${code(stalePin)}; Gemfile.lock has not been re-resolved since.`] : []),
    '',
    `Sources: ${citeClaims(pair.claims)}.`,
  ].join('\n');
  return { message, details };
}

export function staleDriftWording(drift: Drift, pin: string): DriftWording {
  const name = quote(drift.node.name);
  return {
    message: fit(`Gemfile.lock still resolves ${name} ${drift.to} though the Gemfile pins ${quote(pin)}: run bundle lock --update ${drift.node.name}.`),
    details: [
      `${code(drift.node.name)} ${drift.from} → ${drift.to}; the Gemfile now requires ${code(pin)}, which ${drift.to} does not meet.`,
      '',
      `Run ${code(`bundle lock --update ${drift.node.name}`)} to re-resolve only this gem.`,
      '',
      `Sources: ${citeClaims(['rubygems.pessimistic'])}.`,
    ].join('\n'),
  };
}

export function conflictWording(fileName: string, line: number, ecosystem: Ecosystem): DriftWording {
  return {
    message: fit(`Lockfile ${quote(fileName)} has unresolved merge conflict markers from line ${line + 1}, so none of its versions can be compared.`),
    details: [
      `${fileName} is mid-merge: lines start with ${code('<<<<<<<')}, ${code('=======')} or ${code('>>>>>>>')}.`,
      '',
      ecosystem === 'rubygems'
        ? `Bundler refuses such a lockfile. Resolve the conflict (for example ${code('git checkout HEAD -- Gemfile.lock')}, then ${code('bundle install')}) and audit again.`
        : `Resolve the conflict (npm can regenerate the lockfile with ${code('npm install')}) and audit again.`,
      '',
      `Sources: ${citeClaims(ecosystem === 'rubygems' ? ['bundler.conflict-markers'] : ['npm.semver-ranges'])}.`,
    ].join('\n'),
  };
}
