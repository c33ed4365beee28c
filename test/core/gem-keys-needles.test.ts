// The app model skips a file holding none of a signal's needle (core/rails/app-model.ts factsOf),
// so a needle that is not a literal of its pattern would hide every use of that gem.

import * as assert from 'node:assert/strict';
import { GEM_KEYS } from '../../server/src/core/rails/gem-keys';

/** A pattern's source with the escapes of literal punctuation removed (`\.` → `.`). */
const literal = (re: RegExp): string => re.source.replace(/\\([.:()[\]|*+?])/g, '$1');

suite('gem keys: needles', () => {
  test('each DSL signal names a needle its pattern contains literally, with no space (lines are joined with one)', () => {
    for (const entry of GEM_KEYS) {
      for (const signal of entry.dsl) {
        assert.ok(literal(signal.pattern).includes(signal.needle), `${entry.id}: "${signal.needle}" not in ${signal.pattern}`);
        assert.ok(!/\s/.test(signal.needle), `${entry.id}: "${signal.needle}" has a space`);
      }
    }
  });

  test('an explicit assignment outside config/ names a needle without a dot, so a config alias cannot assemble it', () => {
    for (const entry of GEM_KEYS) {
      const also = entry.explicitAlsoIn;
      if (!also) continue;
      assert.ok(literal(entry.explicit).includes(also.needle), `${entry.id}: "${also.needle}" not in ${entry.explicit}`);
      assert.ok(!/[.\s]/.test(also.needle), `${entry.id}: "${also.needle}"`);
    }
  });
});
