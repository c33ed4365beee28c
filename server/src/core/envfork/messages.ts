// Words the finding for a forked secret: a one-sentence message and Markdown details. Only
// identifiers and key names reach either (the setting name, env names, the lookup's key path):
// never a literal value.

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

export function forkWording(s: ForkedSetting, profile: SecretProfile, condition: string | undefined, nilWord: NilWord, versions: Versions): ForkWording {
  const missing = [...s.nilEnvs, ...s.unassignedEnvs];
  const states: string[] = [];
  if (visible(s.nilEnvs).length) states.push(`${nilWord} in ${formatEnvList(visible(s.nilEnvs))}`);
  if (visible(s.unassignedEnvs).length) states.push(`never assigned in ${formatEnvList(visible(s.unassignedEnvs))}`);
  const state = states.join(' and ');
  const label = condition !== undefined ? quotable(condition, 40) : undefined;
  const via = [label ? ` through the ${quote(label)} fork` : undefined, ' through an environment fork', ''];
  const effects = effectsOf(profile, nilWord, versions);
  const lookup = s.real.lookup ? quotable(s.real.lookup.display) : undefined;

  let consequences: (string | undefined)[];
  if (missing.includes('production')) consequences = [effects.productionConsequence];
  else if (missing.includes('test') && s.realEnvs.includes('production')) {
    consequences = [lookup ? `CI never runs its production lookup ${quote(lookup)}` : undefined, 'CI never runs its production lookup'];
  } else consequences = [`${formatEnvList(visible(missing))} ${visible(missing).length > 1 ? 'run' : 'runs'} without the key other environments use`];

  const candidates: string[] = [];
  for (const c of consequences) for (const v of via) if (c && v !== undefined) candidates.push(`Secret ${quote(s.name)} is ${state}${v}, so ${c}.`);
  const message = fit(...candidates);

  const lines: string[] = [`${code(s.name)} is ${state}${s.realEnvs.length ? `, and set in ${formatEnvList(visible(s.realEnvs))}` : ''}.`, ''];
  if (missing.includes('test')) lines.push(`- In test: ${effects.nilEffect}.`);
  if (missing.includes('production')) lines.push(`- In production: ${effects.productionEffect}.`);
  if (missing.includes('test') && s.realEnvs.includes('production')) {
    lines.push(`- The production lookup${s.real.lookup ? ` ${code(s.real.lookup.display)}` : ''} never runs in CI, so a missing production key is not caught by the tests.`);
  }
  if (!missing.includes('test') && !missing.includes('production')) lines.push(`- ${list(visible(missing))} runs without the key the other environments use.`);
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

/** `(other)` only matters when it is all there is. */
function visible(envs: readonly string[]): string[] {
  const named = envs.filter((e) => e !== OTHER_ENV);
  return named.length ? named : [...envs];
}
