// The decisions env-forked-nil-secret makes without a finding ("benign"), which the workspace
// audit's report lists with their reasons: an error reporter's key, a connection credential, and
// a nil branch that sets up a test double. A reported fork gets no note.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { analyzeFile } from '../../server/src/core/engine';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

async function analyze(path: string, text: string) {
  return analyzeFile({ path, text }, new FileSystemWorkspace('/app'));
}

suite('env-forked-nil-secret: benign notes', () => {
  test('an error reporter and a connection credential are noted with why, and not reported', async () => {
    const text = [
      'Sentry.init do |config|',
      '  config.dsn = Rails.env.production? ? Chamber.dig(:sentry, :dsn) : nil',
      'end',
      'REDIS_PASSWORD = Rails.env.test? ? nil : Chamber.dig(:redis, :password)',
      '',
    ].join('\n');
    const r = await analyze('/app/config/initializers/reporting.rb', text);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      (r.notes ?? []).map((n) => [n.kind, n.ruleId, n.subject, n.range.start.line, n.reason]),
      [
        ['benign', 'env-forked-nil-secret', 'config.dsn', 1, 'error reporter: without a key it only drops events'],
        ['benign', 'env-forked-nil-secret', 'REDIS_PASSWORD', 3, 'connection credential: the fork points at another backend'],
      ],
    );
    assert.ok(r.notes?.every((n) => n.path === '/app/config/initializers/reporting.rb'));
  });

  test('a nil branch that sets up a test double is noted; the same fork without one is reported', async () => {
    const doubled = ['if Rails.env.test?', '  Stripe.api_key = nil', '  FakeStripe.stub_stripe', 'else', '  Stripe.api_key = Chamber.dig(:stripe, :api_key)', 'end', ''].join('\n');
    const withDouble = await analyze('/app/config/initializers/stripe.rb', doubled);
    assert.deepEqual(withDouble.findings, []);
    assert.deepEqual(
      (withDouble.notes ?? []).map((n) => [n.subject, n.reason]),
      [['Stripe.api_key', 'the nil branch sets up a test double']],
    );

    const plain = await analyze('/app/config/initializers/stripe.rb', doubled.replace('  FakeStripe.stub_stripe\n', ''));
    assert.equal(plain.findings.length, 1);
    assert.equal(plain.notes, undefined, 'a reported fork is not also noted as benign');
  });
});
