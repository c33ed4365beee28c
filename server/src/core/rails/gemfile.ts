// The gems an app declares (Gemfile, with the position of each `gem` line) and the versions
// Bundler resolved (Gemfile.lock). Read as text: a Gemfile is Ruby, but `gem "name"` lines are
// regular enough, and nothing here evaluates it.

import type { Range } from '../types';

export interface GemLine {
  name: string;
  /** The gem name's string literal, where a finding about the gem goes. */
  range: Range;
}

const GEM_LINE = /^(\s*gem\s*\(?\s*)(["'])([A-Za-z0-9_.-]+)\2/;

export function gemfileGems(text: string): Map<string, GemLine> {
  const gems = new Map<string, GemLine>();
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const m = GEM_LINE.exec(line);
    if (!m || gems.has(m[3]!)) return;
    const start = m[1]!.length;
    gems.set(m[3]!, { name: m[3]!, range: { start: { line: i, character: start }, end: { line: i, character: start + m[3]!.length + 2 } } });
  });
  return gems;
}

/**
 * `    lockbox (1.3.0)` lines of the GEM specs section → name → version. An app that locks only
 * Rails components (railties, activerecord) gets `rails` too, since knowledge names Rails versions.
 */
export function lockfileVersions(text: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const m of text.matchAll(/^ {4}([A-Za-z0-9_.-]+) \(([0-9][^)\s-]*)[^)]*\)$/gm)) versions.set(m[1]!, m[2]!);
  const rails = versions.get('rails') ?? versions.get('railties') ?? versions.get('activerecord');
  if (rails !== undefined && !versions.has('rails')) versions.set('rails', rails);
  if (rails !== undefined && !versions.has('activerecord')) versions.set('activerecord', rails);
  return versions;
}

export { compareVersions } from '../knowledge/versions';
