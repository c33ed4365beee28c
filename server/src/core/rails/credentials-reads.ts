// Explicit reads of Rails credentials, in Ruby (through the tree) and in ERB inside config/*.yml
// (through the text). A read is described by its key path, never by any value.

import type { SyntaxNode } from '../parser';
import { rubyLookup } from '../ruby/values';
import { keyReadsIn } from './key-readers';

/** The outermost `Rails.application.credentials…` chain at this node, if the node is one. */
export function rubyCredentialsRead(node: SyntaxNode): { node: SyntaxNode; path: string[]; display: string } | undefined {
  const parent = node.parent;
  // Only the outermost link of a chain reports: `credentials.aws[:key]`, not also `credentials.aws`.
  if (parent && (parent.type === 'call' || parent.type === 'element_reference')) {
    const inner = parent.childForFieldName(parent.type === 'call' ? 'receiver' : 'object');
    if (inner && inner.id === node.id && rubyLookup(parent)?.source === 'credentials') return undefined;
  }
  const lookup = rubyLookup(node);
  if (lookup?.source !== 'credentials' || !/\.credentials\b/.test(lookup.display)) return undefined;
  return { node, path: lookup.path, display: lookup.display };
}

/** `<%= Rails.application.credentials.dig(:aws, :access_key_id) %>` in YAML: offsets in the file text. */
export function erbCredentialsReads(text: string): { startIndex: number; endIndex: number; display: string }[] {
  const out: { startIndex: number; endIndex: number; display: string }[] = [];
  for (const erb of text.matchAll(/<%=?([\s\S]*?)%>/g)) {
    const body = erb[1] ?? '';
    const bodyStart = (erb.index ?? 0) + erb[0].indexOf(body);
    for (const r of keyReadsIn(body)) {
      if (r.source === 'credentials') out.push({ startIndex: bodyStart + r.startIndex, endIndex: bodyStart + r.endIndex, display: r.display });
    }
  }
  return out;
}
