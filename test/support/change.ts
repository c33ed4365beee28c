// A change base from a fixture folder: `base/` holds the files as they were, mapped onto the
// head folder's paths, as the CLI's --since maps a git tree onto the working tree. (Which files the
// change deletes is the fixture's history.json, as for the other rules.)

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { changeBase } from '../../server/src/core/change';
import type { ChangeBase } from '../../server/src/core/types';

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesIn(p) : [p];
  });
}

export function baseFromFolder(base: string, head: string, label = 'base'): ChangeBase {
  const texts = new Map<string, string>();
  for (const file of filesIn(base)) texts.set(join(head, relative(base, file)), readFileSync(file, 'utf8'));
  return changeBase(label, texts, { knows: (p) => p === head || p.startsWith(head + sep) });
}
