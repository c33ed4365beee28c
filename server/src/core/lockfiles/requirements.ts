// Whether a dependency's requirement puts a ceiling on the version: the question behind every
// silent major upgrade. RubyGems: `<`, `<=`, `~>` and `=` cap, `>=`, `>` and `!=` do not, and a bare
// name accepts anything. npm: caret, tilde, x-ranges below `*`, plain versions, `<` and hyphen
// ranges cap; `*`, `x`, `>=`, `>`, `latest` and any `||` alternative without a ceiling do not.

import { satisfies } from '../knowledge/versions';

/** The first number of a version (`2` for `2.5.5`, `0` for `0.9`); undefined when it has none. */
export function majorOf(version: string): number | undefined {
  const m = /^\s*v?(\d+)/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** RubyGems requirements, all of which apply: capped when any of them sets a ceiling. */
export function gemRequirementCaps(requirements: readonly string[]): boolean {
  return requirements.some((r) => /^\s*(<|<=|~>|=)\s*\d/.test(r) || /^\s*\d/.test(r));
}

/** Whether RubyGems requirements (all of them) admit a version; undefined for one this parser does not read. */
export function gemRequirementsAdmit(requirements: readonly string[], version: string): boolean | undefined {
  let unknown = false;
  for (const r of requirements) {
    const ok = satisfies(version, r);
    if (ok === false) return false;
    if (ok === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

/** An npm range string (package.json / package-lock.json `dependencies` values). Undefined: not a semver range (git, file:, a tag other than latest). */
export function npmRangeCaps(range: string): boolean | undefined {
  const text = range.trim();
  if (/^(npm:)/.test(text)) {
    const at = text.lastIndexOf('@');
    return at > 4 ? npmRangeCaps(text.slice(at + 1)) : false;
  }
  if (/^(git\+|git:|github:|https?:|file:|link:|workspace:|[\w.-]+\/[\w.-]+(#.*)?$)/.test(text)) return undefined;
  if (text === '' || text === '*' || text === 'latest' || /^[xX]$/.test(text)) return false;
  if (/^[a-z][\w.-]*$/i.test(text) && !/^v?\d/.test(text)) return undefined; // a dist-tag such as "next"
  return text.split('||').every((alt) => alternativeCaps(alt.trim()));
}

function alternativeCaps(alt: string): boolean {
  if (alt === '' || alt === '*' || /^[xX]$/.test(alt) || alt === 'latest') return false;
  // Hyphen ranges `1.2 - 3` have an upper end.
  if (/\s-\s/.test(alt)) return true;
  const comparators = alt.split(/\s+/).filter(Boolean);
  return comparators.some((c) => {
    if (/^[~^]/.test(c)) return true;
    if (/^<=?/.test(c)) return true;
    if (/^(>=?)/.test(c)) return false;
    // `1.2.3`, `=1.2.3`, `1.x`, `1.2.*`, `v2`: the major is fixed.
    return /^=?v?\d/.test(c);
  });
}
