// The units incremental analysis re-analyses: a file cut into consecutive spans, one per
// top-level statement (and, in Ruby, one per statement of a top-level configuration block such as
// `Rails.application.configure do … end`, where a whole initializer lives). Each span runs from its
// statement's start to the next one's, so the comments, blank lines and heredoc bodies after a
// statement belong to it and every character of the file belongs to exactly one unit. The header
// and `end` of a configuration block are frames: an edit there re-analyses the whole file.

import type { SyntaxNode, Tree } from '../parser';
import type { GrammarLanguage } from '../types';

export interface Unit {
  start: number;
  /** Exclusive; the next unit's start, or the text's length. */
  end: number;
  /** The header or `end` of a configuration block: an edit there re-analyses the whole file. */
  frame: boolean;
  /** The statement's node type ('' for the text before the first statement or after a block header). */
  type: string;
  /** Whether the statement is a child of the program (not of a configuration block). */
  topLevel: boolean;
  /** A program-level statement a rule calls a barrier (an early return): the file is analysed whole. */
  barrier: boolean;
}

/** Nodes that never start a unit: they stay with the statement before them. */
const NOT_A_UNIT = new Set(['comment', 'heredoc_body']);

interface Cut {
  at: number;
  frame: boolean;
  type: string;
  topLevel: boolean;
  barrier?: boolean;
}

/** The file's units, in order; `isBarrier` marks program-level statements that make the file be analysed whole. */
export function unitsOf(tree: Tree, lang: GrammarLanguage, textLength: number, isBarrier: (type: string, node: () => SyntaxNode) => boolean): Unit[] {
  const cuts: Cut[] = [{ at: 0, frame: false, type: '', topLevel: true }];
  // One call for all children, not a cursor step per child: each step is a crossing into the
  // binding, and a 2,000-statement initializer is walked on every keystroke.
  for (const node of tree.rootNode.namedChildren) {
    if (!node) continue;
    const type = node.type;
    if (NOT_A_UNIT.has(type)) continue;
    if (lang === 'ruby' && type === 'call' && configurationBlock(node, cuts)) continue;
    cuts.push({ at: node.startIndex, frame: false, barrier: isBarrier(type, () => node), type, topLevel: true });
  }
  const units: Unit[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const c = cuts[i]!;
    const end = i + 1 < cuts.length ? cuts[i + 1]!.at : textLength;
    // Two cuts at one offset (a statement at offset 0): the later one describes the span.
    if (end <= c.at && i + 1 < cuts.length) continue;
    units.push({ start: c.at, end: Math.max(end, c.at), frame: c.frame, type: c.type, topLevel: c.topLevel, barrier: c.barrier === true });
  }
  return units;
}

/**
 * `Receiver.method do |params| … end` (or braces) at top level with no arguments: adds a frame for
 * its header, one unit per body statement, and a frame for its closing token. False for any other call.
 */
function configurationBlock(call: SyntaxNode, cuts: Cut[]): boolean {
  if (call.childForFieldName('arguments')) return false;
  const block = call.childForFieldName('block');
  if (!block || (block.type !== 'do_block' && block.type !== 'block')) return false;
  const body = block.childForFieldName('body');
  const close = block.lastChild;
  if (!body || !close || close.isNamed) return false;
  const params = block.childForFieldName('parameters');
  const opener = block.firstChild;
  const headerEnd = (params ?? opener)?.endIndex;
  if (headerEnd === undefined) return false;
  cuts.push({ at: call.startIndex, frame: true, type: 'call', topLevel: true });
  cuts.push({ at: headerEnd, frame: false, type: '', topLevel: false });
  for (const node of body.namedChildren) {
    if (!node) continue;
    const type = node.type;
    if (NOT_A_UNIT.has(type)) continue;
    cuts.push({ at: node.startIndex, frame: false, type, topLevel: false });
  }
  cuts.push({ at: close.startIndex, frame: true, type: 'end', topLevel: true });
  return true;
}

/** The index of the unit holding `offset` (the last unit for offsets at or past the end). */
export function unitAt(units: readonly Unit[], offset: number): number {
  let lo = 0;
  let hi = units.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (units[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
