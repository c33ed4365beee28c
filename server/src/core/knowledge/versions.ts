// Version requirements for knowledge that holds only for some releases of a library, judged
// against what the lockfile resolved (Gemfile.lock, package-lock.json). A requirement on a library
// whose version is not known is neither true nor false: callers then fall back to wording that
// holds for every supported version, or stay silent.

/** Library name → resolved version (`lockbox` → `1.3.0`). */
export type Versions = ReadonlyMap<string, string>;

/** `lockbox >= 1.0, < 2.0`: every constraint on the library must hold. Several requirements: all of them. */
export interface Requirement {
  lib: string;
  /** Bundler/npm style comparisons: `>= 1.0`, `< 2`, `~> 2.5`, `= 7.1.3`, `!= 3.0`. */
  constraints: readonly string[];
}

/** Compares dotted versions numerically: -1, 0 or 1 (pre-release suffixes are ignored). */
export function compareVersions(a: string, b: string): number {
  const pa = numbers(a);
  const pb = numbers(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function numbers(v: string): number[] {
  return v
    .trim()
    .split(/[.-]/)
    .map((x) => parseInt(x, 10))
    .filter((n, i, all) => !Number.isNaN(n) && all.slice(0, i).every((m) => !Number.isNaN(m)));
}

/** Whether `version` meets one constraint; undefined for a constraint this parser does not know. */
export function satisfies(version: string, constraint: string): boolean | undefined {
  const m = /^\s*(>=|<=|~>|!=|>|<|=)?\s*(\d[\w.-]*)\s*$/.exec(constraint);
  if (!m) return undefined;
  const op = m[1] ?? '=';
  const target = m[2]!;
  const c = compareVersions(version, target);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '!=':
      return c !== 0;
    case '=':
      return c === 0;
    default: {
      // `~> 2.5` allows 2.5 up to, not including, 3.0; `~> 2.5.3` allows 2.5.3 up to 2.6.
      const parts = numbers(target);
      if (c < 0) return false;
      const prefix = parts.length > 1 ? parts.slice(0, -1) : parts;
      const upper = [...prefix.slice(0, -1), (prefix[prefix.length - 1] ?? 0) + 1].join('.');
      return compareVersions(version, upper) < 0;
    }
  }
}

/** True or false when every library named is resolved; undefined when one of them is not known. */
export function meets(requirements: readonly Requirement[], versions: Versions): boolean | undefined {
  let unknown = false;
  for (const r of requirements) {
    const v = versions.get(r.lib);
    if (v === undefined) {
      unknown = true;
      continue;
    }
    for (const c of r.constraints) if (satisfies(v, c) === false) return false;
  }
  return unknown ? undefined : true;
}

/** A requirement string that is known to hold; unknown versions do not count. */
export function holdsKnown(requirement: string, versions: Versions): boolean {
  return meets(parseRequirements(requirement), versions) === true;
}

/** A requirement string that is not known to fail; unknown versions count as holding (all-versions wording applies). */
export function holdsUnlessKnownFalse(requirement: string, versions: Versions): boolean {
  return meets(parseRequirements(requirement), versions) !== false;
}

/** The requirement texts are the claims' and profiles' own (a few hundred), parsed once each, not per finding or file. */
const parsedRequirements = new Map<string, readonly Requirement[]>();

/** `lockbox >= 1.0, < 2.0; rails < 7.0` → requirements (the same text the docs tables show). */
export function parseRequirements(text: string): readonly Requirement[] {
  const known = parsedRequirements.get(text);
  if (known) return known;
  const parsed =
    text.trim() === 'all'
      ? []
      : text.split(';').map((part) => {
          const m = /^\s*([A-Za-z0-9_@/.-]+)\s*(.*)$/.exec(part);
          if (!m) throw new Error(`bad version requirement: ${part}`);
          return { lib: m[1]!, constraints: m[2]!.split(',').map((c) => c.trim()).filter(Boolean) };
        });
  parsedRequirements.set(text, parsed);
  return parsed;
}


/** A choice among wordings by version: the first variant whose requirement is met, else the one for all versions. */
export interface Variant<T> {
  /** Absent or `all`: holds for every supported version (the fallback). */
  when?: string;
  value: T;
}

export function pickVariant<T>(variants: readonly Variant<T>[], versions: Versions): T | undefined {
  for (const v of variants) {
    if (!v.when || v.when === 'all') continue;
    if (meets(parseRequirements(v.when), versions) === true) return v.value;
  }
  return variants.find((v) => !v.when || v.when === 'all')?.value;
}

/** A wording, or wordings by version (the one without `when` holds for every version). */
export type Versioned = string | readonly Variant<string>[];

/** One wording for the versions in use (the all-versions wording when they are unknown). */
export function worded(text: Versioned, versions: Versions): string {
  return typeof text === 'string' ? text : (pickVariant(text, versions) ?? '');
}
