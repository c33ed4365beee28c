// Words the finding for a forked secret: a one-sentence message and Markdown details. Only
// identifiers and key names reach either (the setting name, env names, the lookup's key path):
// never a literal value.

import { roundTripHint } from '../fixes/encryption-roundtrip-spec';
import { citeClaims } from '../knowledge/claims';
import { worded, type Versions } from '../knowledge/versions';
import type { SecretProfile } from '../secrets/profiles';
import { code, fit, list, quotable, quote } from '../wording';
import { formatEnvList, OTHER_ENV, type ForkedSetting } from './model';

export type NilWord = 'nil' | 'undefined' | 'null';

export interface ForkWording {
  message: string;
  details: string;
}

/** `envFile`: the environment file an `env-file` fork is (config/environments/production.rb). */
export function forkWording(s: ForkedSetting, profile: SecretProfile, condition: string | undefined, nilWord: NilWord, versions: Versions, envFile?: string): ForkWording {
  const missing = [...s.nilEnvs, ...s.unassignedEnvs];
  const states: string[] = [];
  // `ENV["A"] || <fork>`: the fork's nil is what production gets only when the variable is unset.
  const unlessSet = s.envOperand ? envNameIn(s.envOperand.text) : undefined;
  if (visible(s.nilEnvs).length) states.push(`${nilWord} in ${formatEnvList(visible(s.nilEnvs))}${unlessSet && s.nilEnvs.includes('production') ? ` unless ${unlessSet} is set` : ''}`);
  if (visible(s.unassignedEnvs).length) states.push(`${s.kind === 'call' ? 'never run' : 'never assigned'} in ${formatEnvList(visible(s.unassignedEnvs))}`);
  const state = states.join(' and ');
  const label = condition !== undefined ? quotable(condition, 40) : undefined;
  const via =
    s.forkKind === 'env-file' && envFile
      ? [` because only ${envFile.split('/').pop()} sets it`, '']
      : [label ? ` through the ${quote(label)} fork` : undefined, ' through an environment fork', ''];
  const effects = effectsOf(profile, nilWord, versions);
  const lookup = s.real.lookup ? quotable(s.real.lookup.display) : undefined;

  let consequences: (string | undefined)[];
  if (missing.includes('production')) consequences = [effects.productionConsequence];
  else if (missing.includes('test') && s.realEnvs.includes('production')) {
    consequences = [lookup ? `CI never runs its production lookup ${quote(lookup)}` : undefined, 'CI never runs its production lookup'];
  } else {
    const run = `${formatEnvList(visible(missing))} ${visible(missing).length > 1 ? 'run' : 'runs'}`;
    consequences = [`${run} without the key other environments use`, `${run} without it`];
  }

  const subject =
    s.kind === 'call' ? `Call ${quote(s.name)}, which reads secrets, is` : s.kind === 'built' ? `Value ${quote(s.name)}, built from secrets, is` : `Secret ${quote(s.name)} is`;
  const candidates: string[] = [];
  for (const c of consequences) for (const v of via) if (c && v !== undefined) candidates.push(`${subject} ${state}${v}, so ${c}.`);
  const message = fit(...candidates);

  const what = s.kind === 'call' ? `The call ${code(s.name)}, whose arguments carry ${code(s.secret?.display ?? 'a secret')},` : s.kind === 'built' ? `${code(s.name)}, built from ${code(s.secret?.display ?? 'a secret')},` : code(s.name);
  const lines: string[] = [`${what} is ${state}${s.realEnvs.length ? `, and ${s.kind === 'call' ? 'runs' : 'set'} in ${formatEnvList(visible(s.realEnvs))}` : ''}.`, ''];
  if (s.forkKind === 'env-file' && envFile) lines.push(`- Only ${code(envFile)} sets it; config/application.rb, the initializers and config/environments/test.rb do not.`);
  if (missing.includes('test')) lines.push(`- In test: ${effects.nilEffect}.`);
  if (missing.includes('production')) lines.push(`- In production: ${effects.productionEffect}.`);
  if (missing.includes('test') && s.realEnvs.includes('production')) {
    lines.push(`- The production lookup${s.real.lookup ? ` ${code(s.real.lookup.display)}` : ''} never runs in CI, so a missing production key is not caught by the tests.`);
  }
  if (!missing.includes('test') && !missing.includes('production')) lines.push(`- ${list(visible(missing))} runs without the key the other environments use.`);
  lines.push(...roundTripHint(profile.id));
  if (profile.claims.length) lines.push('', `Sources: ${citeClaims(profile.claims)}.`);
  return { message, details: lines.join('\n') };
}

function effectsOf(profile: SecretProfile, nilWord: NilWord, versions: Versions): { nilEffect: string; productionEffect: string; productionConsequence: string } {
  const ruby = { nilEffect: worded(profile.nilEffect, versions), productionEffect: worded(profile.productionEffect, versions), productionConsequence: worded(profile.productionConsequence, versions) };
  if (nilWord === 'nil') return ruby;
  // JavaScript readers expect undefined/null; a Ruby gem's behaviour does not carry over.
  if (profile.js) return profile.js;
  const swap = (t: string): string => t.replace(/\bnil\b/g, nilWord);
  return { nilEffect: swap(ruby.nilEffect), productionEffect: swap(ruby.productionEffect), productionConsequence: swap(ruby.productionConsequence) };
}

/** The variable an `ENV["A"]` operand reads, for "unless A is set". */
function envNameIn(text: string): string | undefined {
  return /ENV(?:\[\s*|\.fetch\(\s*)["']([A-Za-z_][A-Za-z0-9_]*)["']/.exec(text)?.[1] ?? /process\.env\.([A-Za-z_][A-Za-z0-9_]*)/.exec(text)?.[1];
}

/** `(other)` only matters when it is all there is. */
function visible(envs: readonly string[]): string[] {
  const named = envs.filter((e) => e !== OTHER_ENV);
  return named.length ? named : [...envs];
}
