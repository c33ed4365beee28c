// Rule tests as data: every file under test/fixtures/rules/<rule-id>/ is audited and its findings
// must be exactly the lines annotated `expect:` (with severity and message part when given).

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../server/src/core/engine';
import { RULES } from '../../server/src/core/rules';
import { FileSystemWorkspace } from '../../server/src/core/workspace';
import { readExpectations } from '../support/annotations';
import { FIXTURES } from '../support/paths';

suite('rule fixtures', () => {
  for (const rule of RULES) {
    const dir = join(FIXTURES, 'rules', rule.meta.id);
    suite(rule.meta.id, () => {
      for (const name of readdirSync(dir).sort()) {
        test(name, async () => {
          const path = join(dir, name);
          const text = readFileSync(path, 'utf8');
          const result = await analyzeFile({ path, text }, new FileSystemWorkspace(dir));
          assert.deepEqual(result.errors, []);
          const expected = readExpectations(text).filter((e) => e.ruleId === rule.meta.id);
          const actual = result.findings.filter((f) => f.ruleId === rule.meta.id);
          const show = (lines: number[]) => lines.map((l) => l + 1).join(', ');
          assert.equal(
            show(actual.map((f) => f.range.start.line)),
            show(expected.map((e) => e.line)),
            `finding lines (1-based) differ in ${name}:\n${actual.map((f) => `  ${f.range.start.line + 1}: ${f.message}`).join('\n')}`,
          );
          for (const e of expected) {
            const f = actual.find((x) => x.range.start.line === e.line)!;
            if (e.severity) assert.equal(f.severity, e.severity, `severity on line ${e.line + 1}`);
            if (e.messagePart) assert.ok(f.message.includes(e.messagePart), `line ${e.line + 1}: "${f.message}" lacks "${e.messagePart}"`);
            assert.equal(f.path, path);
            assert.ok(f.message.length > 0 && f.related.length > 0, 'every finding points at its fork');
          }
        });
      }
    });
  }
});
