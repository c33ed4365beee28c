// Gemfile.lock (Bundler 2.x), read as text, every section: GEM, GIT, PATH and PLUGIN SOURCE with
// their `specs:`, PLATFORMS, DEPENDENCIES, CHECKSUMS, RUBY VERSION, BUNDLED WITH. Unknown sections
// and lines are skipped, never fatal; merge conflict markers are recorded so the caller can report
// the file as bad input instead of comparing half of each side.

/** One `name (requirement, requirement)` line: a spec's dependency, or a Gemfile dependency. */
export interface LockedRequirement {
  name: string;
  /** `>= 2.3.0`, `< 4`; empty for a bare name, which accepts any version. */
  requirements: string[];
  /** 0-based line and the column range of the name. */
  line: number;
  start: number;
  end: number;
}

/** A resolved gem under some `specs:`: `    nokogiri (1.16.7-x86_64-linux)`. */
export interface LockedSpec {
  name: string;
  /** The version without the platform suffix: `1.16.7`. */
  version: string;
  /** `x86_64-linux`, `java`; undefined for pure-Ruby gems. */
  platform?: string;
  /** The section it came from. */
  source: 'GEM' | 'GIT' | 'PATH' | 'PLUGIN SOURCE';
  /** Its `remote:` (a URL, or a path for PATH). */
  remote?: string;
  line: number;
  start: number;
  end: number;
  dependencies: LockedRequirement[];
}

export interface GemLockfile {
  /** Every spec, in file order; one gem may have several, one per platform. */
  specs: LockedSpec[];
  /** The DEPENDENCIES section: the Gemfile's gems with the Gemfile's requirements. `!` marks a GIT/PATH source. */
  dependencies: Map<string, LockedRequirement & { pinnedSource: boolean }>;
  platforms: string[];
  /** `ruby 3.3.5p100` from RUBY VERSION. */
  ruby?: string;
  bundler?: string;
  /** CHECKSUMS (Bundler 2.6+): `name (version[-platform])` → checksum list, possibly empty. */
  checksums: Map<string, string[]>;
  /** 0-based lines of `<<<<<<<`, `|||||||`, `=======`, `>>>>>>>` markers: the file is mid-merge. */
  conflictLines: number[];
}

const SECTION_SOURCES = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
/** `name (req, req)`, `name`, `name!`, `name (req)!`; names may contain dots, dashes and underscores. */
const NAME_AND_PARENS = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?: \(([^)]*)\))?(!)?$/;

export function parseGemLockfile(text: string): GemLockfile {
  const out: GemLockfile = { specs: [], dependencies: new Map(), platforms: [], checksums: new Map(), conflictLines: [] };
  const lines = text.split(/\r\n|\r|\n/);
  let section: string | undefined;
  let remote: string | undefined;
  let inSpecs = false;
  let current: LockedSpec | undefined;
  lines.forEach((raw, i) => {
    const line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (/^(<{7}|={7}|>{7}|\|{7})(\s|$)/.test(line)) {
      out.conflictLines.push(i);
      return;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const indent = line.length - line.trimStart().length;
    const content = line.trim();
    if (indent === 0) {
      section = content;
      remote = undefined;
      inSpecs = false;
      current = undefined;
      return;
    }
    if (section && SECTION_SOURCES.has(section)) {
      if (indent === 2) {
        inSpecs = content === 'specs:';
        const option = /^remote: (.*)$/.exec(content);
        if (option) remote = option[1];
        current = undefined;
        return;
      }
      if (!inSpecs) return;
      if (indent === 4) {
        const m = NAME_AND_PARENS.exec(content);
        current = undefined;
        if (!m || m[2] === undefined) return;
        const [version, platform] = splitPlatform(m[2]);
        const start = indent;
        current = {
          name: m[1]!,
          version,
          ...(platform ? { platform } : {}),
          source: section as LockedSpec['source'],
          ...(remote !== undefined ? { remote } : {}),
          line: i,
          start,
          end: start + m[1]!.length,
          dependencies: [],
        };
        out.specs.push(current);
        return;
      }
      if (indent === 6 && current) {
        const r = requirementLine(content, i, indent);
        if (r) current.dependencies.push(r);
      }
      return;
    }
    switch (section) {
      case 'PLATFORMS':
        out.platforms.push(content);
        return;
      case 'DEPENDENCIES': {
        const r = requirementLine(content, i, indent);
        if (r) out.dependencies.set(r.name, { ...r, pinnedSource: content.endsWith('!') });
        return;
      }
      case 'CHECKSUMS': {
        const m = /^(\S+ \([^)]*\))(?: (.*))?$/.exec(content);
        if (m) out.checksums.set(m[1]!, m[2] ? m[2].split(',').map((c) => c.trim()) : []);
        return;
      }
      case 'RUBY VERSION':
        out.ruby = content;
        return;
      case 'BUNDLED WITH':
        out.bundler = content;
        return;
      default:
        return;
    }
  });
  return out;
}

/** Gem versions never contain a dash; the platform follows the first one (`1.16.7-x86_64-linux`). */
function splitPlatform(v: string): [string, string | undefined] {
  const dash = v.indexOf('-');
  return dash < 0 ? [v.trim(), undefined] : [v.slice(0, dash).trim(), v.slice(dash + 1).trim()];
}

function requirementLine(content: string, line: number, indent: number): LockedRequirement | undefined {
  const m = NAME_AND_PARENS.exec(content);
  if (!m) return undefined;
  const requirements = (m[2] ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return { name: m[1]!, requirements, line, start: indent, end: indent + m[1]!.length };
}

/** The first spec of each gem (platform variants share a version), by name. */
export function specsByName(lock: GemLockfile): Map<string, LockedSpec> {
  const out = new Map<string, LockedSpec>();
  for (const s of lock.specs) if (!out.has(s.name)) out.set(s.name, s);
  return out;
}
