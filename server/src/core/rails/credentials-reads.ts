// Explicit reads of Rails credentials: in Ruby (skipping comments and string contents, judged by
// the tree) and in ERB inside config/*.yml. Found with the same scanner as "who else reads this key".

import type { Tree } from '../parser';
import { ancestors } from '../tree';
import { keyReadsIn, type KeyRead } from './key-readers';

export type CredentialsRead = KeyRead & { source: 'credentials' };

function isCredentials(r: KeyRead): r is CredentialsRead {
  return r.source === 'credentials';
}

/** Reads in Ruby code; a match inside a comment or a string literal is not code. */
export function rubyCredentialsReads(text: string, tree: Tree): CredentialsRead[] {
  return keyReadsIn(text)
    .filter(isCredentials)
    .filter((r) => {
      // Comments and string contents are the leaf or just above it: the innermost levels decide.
      const leaf = tree.rootNode.descendantForIndex(r.startIndex);
      if (!leaf) return true;
      return ![leaf, ...ancestors(leaf, 4).nodes].some((n) => n.type === 'comment' || n.type === 'string_content' || n.type === 'heredoc_content');
    });
}

/**
 * `<%= Rails.application.credentials.dig(:aws, :access_key_id) %>` in YAML, with offsets in the file.
 * ERB on a YAML comment line (the commented-out services of the generated storage.yml) still runs,
 * but its value is discarded, so it is not a read that matters; nor is an ERB comment (`<%#`).
 */
export function erbCredentialsReads(text: string): CredentialsRead[] {
  const out: CredentialsRead[] = [];
  for (const erb of text.matchAll(/<%(?!#)=?([\s\S]*?)%>/g)) {
    const lineStart = text.lastIndexOf('\n', erb.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, erb.index))) continue;
    const body = erb[1] ?? '';
    const bodyStart = (erb.index ?? 0) + erb[0].indexOf(body);
    for (const r of keyReadsIn(body).filter(isCredentials)) out.push({ ...r, startIndex: bodyStart + r.startIndex, endIndex: bodyStart + r.endIndex });
  }
  return out;
}
