// Knowledge is data with its source: every claim names the versions it holds for and where it was
// read, and every rule's docs page carries its claims table as the data has it. To refresh the
// tables after editing claims.ts: INITAUDIT_UPDATE_DOCS=1 npm test.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIMS, claimsFor, claimsTable } from '../../server/src/core/knowledge/claims';
import { parseRequirements } from '../../server/src/core/knowledge/versions';
import { GEM_KEYS } from '../../server/src/core/rails/gem-keys';
import { RULES } from '../../server/src/core/rules';
import { PROFILES } from '../../server/src/core/secrets/profiles';
import { repoRoot } from '../support/paths';

const START = '<!-- claims:start (generated from server/src/core/knowledge/claims.ts) -->';
const END = '<!-- claims:end -->';

suite('docs: claims and their sources', () => {
  test('every claim names the versions it holds for and at least one source', () => {
    const ids = new Set<string>();
    for (const c of CLAIMS) {
      assert.ok(!ids.has(c.id), `claim ${c.id} is defined once`);
      ids.add(c.id);
      assert.doesNotThrow(() => parseRequirements(c.holds), `${c.id}: holds "${c.holds}"`);
      assert.ok(c.sources.length > 0, `${c.id} names a source`);
      for (const s of c.sources) assert.ok(s.repo && s.ref && s.path, `${c.id}: a source has repository, tag and path`);
      assert.ok(!c.statement.includes('`'), `${c.id}: the statement is plain text`);
      assert.ok(c.rules.every((r) => RULES.some((rule) => rule.meta.id === r)), `${c.id} belongs to known rules`);
    }
  });

  test('every claim the knowledge tables cite exists', () => {
    const ids = new Set(CLAIMS.map((c) => c.id));
    const cited = [...PROFILES.flatMap((p) => p.claims), ...GEM_KEYS.flatMap((e) => [...e.claims, ...(e.fix?.claims ?? [])])];
    assert.deepEqual(cited.filter((id) => !ids.has(id)), []);
  });

  for (const rule of RULES) {
    if (claimsFor(rule.meta.id).length === 0) continue;
    test(`docs/rules/${rule.meta.id}.md carries its claims table`, () => {
      const path = join(repoRoot(), 'docs', 'rules', `${rule.meta.id}.md`);
      const text = readFileSync(path, 'utf8');
      const table = `${START}\n${claimsTable(rule.meta.id)}\n${END}`;
      const start = text.indexOf(START);
      const end = text.indexOf(END);
      if (process.env['INITAUDIT_UPDATE_DOCS'] === '1') {
        const updated = start >= 0 && end > start ? text.slice(0, start) + table + text.slice(end + END.length) : `${text.trimEnd()}\n\n## Claims and sources\n\n${table}\n`;
        writeFileSync(path, updated);
        return;
      }
      assert.ok(start >= 0 && end > start, `${path} has a claims section (run INITAUDIT_UPDATE_DOCS=1 npm test)`);
      assert.equal(text.slice(start, end + END.length), table, `${path}: the claims table matches claims.ts (run INITAUDIT_UPDATE_DOCS=1 npm test)`);
    });
  }
});
