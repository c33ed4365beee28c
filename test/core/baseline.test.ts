// Baseline fingerprints: stable when lines move or are re-indented, new when the line changes.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Baseline, baselineEntries, fingerprints, parseBaseline, serializeBaseline } from '../../server/src/core/baseline';
import type { Finding } from '../../server/src/core/types';

const ROOT = '/app';
const PATH = join(ROOT, 'config/initializers/stripe.rb');

/** A finding on every line containing `needle`. */
function findingsOn(text: string, needle: string): Finding[] {
  return text.split('\n').flatMap((l, line) =>
    l.includes(needle)
      ? [{ ruleId: 'env-forked-nil-secret', severity: 'warning' as const, path: PATH, range: { start: { line, character: 0 }, end: { line, character: l.length } }, message: 'm', related: [], fixes: [] }]
      : [],
  );
}

suite('baseline', () => {
  const before = 'Stripe.api_key = Rails.env.test? ? nil : x\nStripe.api_key = Rails.env.test? ? nil : x\n';

  test('fingerprints survive lines inserted above and re-indentation; repeated lines stay distinct', () => {
    const after = '# a comment\n\n  Stripe.api_key  =  Rails.env.test? ? nil : x\nStripe.api_key = Rails.env.test? ? nil : x\n';
    const a = fingerprints(ROOT, PATH, before, findingsOn(before, 'Stripe'));
    const b = fingerprints(ROOT, PATH, after, findingsOn(after, 'Stripe'));
    assert.equal(new Set(a).size, 2, 'two identical lines get two fingerprints');
    assert.deepEqual(b, a);
  });

  test('a baseline hides recorded findings only: a changed line or a third copy is new', () => {
    const baseline = parseBaseline(serializeBaseline(baselineEntries(ROOT, PATH, before, findingsOn(before, 'Stripe'))));
    assert.equal(baseline.size, 2);
    const shifted = `\n${before}`;
    assert.deepEqual(baseline.filter(ROOT, PATH, shifted, findingsOn(shifted, 'Stripe')), []);
    const edited = before.replace(': x\n', ': y\n');
    assert.deepEqual(baseline.filter(ROOT, PATH, edited, findingsOn(edited, 'Stripe')).map((f) => f.range.start.line), [0]);
    const tripled = `${before}Stripe.api_key = Rails.env.test? ? nil : x\n`;
    assert.deepEqual(baseline.filter(ROOT, PATH, tripled, findingsOn(tripled, 'Stripe')).map((f) => f.range.start.line), [2]);
    // The same line in another file is another finding.
    const other = join(ROOT, 'config/initializers/other.rb');
    assert.equal(new Baseline([]).filter(ROOT, other, before, findingsOn(before, 'Stripe')).length, 2);
    assert.equal(baseline.filter(ROOT, other, before, findingsOn(before, 'Stripe').map((f) => ({ ...f, path: other }))).length, 2);
  });

  test('a file that is not a baseline is rejected with a clear message', () => {
    assert.throws(() => parseBaseline('{"version": 2, "findings": []}'), /not an initaudit baseline/);
    assert.throws(() => parseBaseline('{'), /not valid JSON/);
  });
});
