// Builds the finding message for a forked secret. Only identifiers and key names reach the
// message (the setting name, env names, the lookup's key path): never a literal value.

import type { SecretProfile } from '../secrets/profiles';
import { formatEnvList, OTHER_ENV, type ForkedSetting } from './model';

export function forkMessage(s: ForkedSetting, profile: SecretProfile, forkLabel: string, nilWord: 'nil' | 'undefined' | 'null'): string {
  const parts: string[] = [];
  const nilAt = visible(s.nilEnvs);
  const unsetAt = visible(s.unassignedEnvs);
  const states: string[] = [];
  if (nilAt.length) states.push(`${nilWord} in ${formatEnvList(nilAt)}`);
  if (unsetAt.length) states.push(`never assigned in ${formatEnvList(unsetAt)}`);
  parts.push(`\`${s.name}\` is ${states.join(' and ')} (${forkLabel})`);

  const missing = [...s.nilEnvs, ...s.unassignedEnvs];
  const effects: string[] = [];
  // Generic wording says nil; JavaScript readers expect undefined/null.
  const words = nilWord !== 'nil' ? (profile.js ?? { nilEffect: profile.nilEffect.replace(/\bnil\b/g, nilWord), productionEffect: profile.productionEffect.replace(/\bnil\b/g, nilWord) }) : profile;
  if (missing.includes('production')) effects.push(words.productionEffect);
  if (missing.includes('test')) {
    effects.push(words.nilEffect);
    const source = s.real.lookup ? `\`${s.real.lookup.display}\`` : 'its production value';
    if (s.realEnvs.includes('production')) effects.push(`the production lookup ${source} never runs in CI`);
  } else if (!missing.includes('production')) {
    effects.push(`${formatEnvList(visible(missing))} runs without the key that other environments use`);
  }
  return `${parts[0]}: ${effects.join('; ')}.`;
}

/** `(other)` only matters when it is all there is. */
function visible(envs: readonly string[]): string[] {
  const named = envs.filter((e) => e !== OTHER_ENV);
  return named.length ? named : [...envs];
}

/** Short, safe label for the fork's condition: its text when it only names environments. */
export function forkLabel(conditionText: string | undefined, envNames: readonly string[], fallback: string): string {
  if (!conditionText) return fallback;
  const text = conditionText.replace(/\s+/g, ' ').trim();
  if (text.length > 60) return fallback;
  const strings = text.match(/(["'`])((?:\\.|(?!\1).)*)\1/g) ?? [];
  const allEnvNames = strings.every((q) => envNames.includes(q.slice(1, -1)) || /^[A-Z_]+_ENV$|^NODE_ENV$|^MODE$/.test(q.slice(1, -1)));
  return allEnvNames ? `\`${text}\` fork` : fallback;
}
