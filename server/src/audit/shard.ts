// `--shard i/n`: which files one of n parallel audits reports on. A file belongs to exactly one
// shard, chosen by a hash of its path relative to the audited root (with "/"), so the partition is
// the same on every machine and every run. A shard still reads the whole workspace for cross-file
// facts (a Rails app's models and Gemfile, imported modules, the credentials files): each finding
// is on the analysed file's own path, and a file's analysis never depends on which other files were
// analysed, so the union of the n shards' findings is the unsharded audit's.

import { relative, sep } from 'node:path';

export interface Shard {
  /** 1-based, at most `count`. */
  index: number;
  count: number;
}

/** "2/4" → { index: 2, count: 4 }; undefined when the text is not i/n with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard | undefined {
  const m = /^([1-9]\d{0,5})\/([1-9]\d{0,5})$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index <= count ? { index, count } : undefined;
}

/** FNV-1a, 32 bits, over UTF-16 code units: small, fast and stable across platforms and Node versions. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Whether `path` (absolute) is this shard's to report. */
export function inShard(root: string, path: string, shard: Shard): boolean {
  const rel = relative(root, path).split(sep).join('/');
  return fnv1a(rel) % shard.count === shard.index - 1;
}
