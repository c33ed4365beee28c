// Hover on an ENV, Chamber or credentials read in a Rails app: every other place that reads the
// same key, explicitly or by a gem's convention ("what else reads this before I delete it?").

import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver';
import { keyReadersAt } from '../core/rails/key-readers';
import type { Range, Workspace } from '../core/types';

/** Markdown for the key read at `position`, or undefined when there is none. */
export function keyReadersHover(ws: Workspace, path: string, text: string, position: Position): { markdown: string; range: Range } | undefined {
  const found = keyReadersAt(ws, path, text, position);
  if (!found) return undefined;
  const lines: string[] = [`**\`${found.key}\`**: ${found.at.source === 'env' ? 'environment variable' : `read through ${found.at.source}`}`];
  if (found.places.length === 0 && found.conventions.length === 0) {
    lines.push('', 'Nothing else in this app reads this key.');
  } else {
    lines.push('', 'Also read by:');
    for (const p of found.places) {
      const rel = relative(ws.root, p.path) || p.path;
      const link = `${pathToFileURL(p.path).href}#L${p.range.start.line + 1}`;
      lines.push(`- [${rel}:${p.range.start.line + 1}](${link}): \`${p.display}\``);
    }
    for (const c of found.conventions) lines.push(`- by convention: ${c}`);
  }
  return { markdown: lines.join('\n'), range: found.range };
}
