import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { RULES, RULE_METAS } from '../../server/src/core/rules';
import { commitAll, gitInit } from '../support/git';
import { LOCKBOX, RAILS_APP, removeWorkspaces, RULE, runCli, runJson, STRIPE, workspace, writeFiles } from './helpers';

function runSarif(args: string[], cwd: string): { log: sarif.Log; run: sarif.Run; code: number | null } {
  const out = runCli(['--format', 'sarif', ...args], { cwd });
  const log = JSON.parse(out.stdout) as sarif.Log;
  assert.equal(log.runs.length, 1);
  return { log, run: log.runs[0] as sarif.Run, code: out.code };
}

suite('cli: SARIF output', () => {
  suiteTeardown(removeWorkspaces);

  test('is SARIF 2.1.0 with the tool and every registered rule', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    const { log, run } = runSarif([], root);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema ?? '', /sarif.*2\.1\.0/);
    const driver = run.tool.driver;
    assert.equal(driver.name, 'initaudit');
    assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
    assert.match(driver.informationUri ?? '', /^https:\/\//);
    assert.deepEqual(
      driver.rules?.map((r) => r.id),
      RULE_METAS.map((m) => m.id),
    );
    for (const rule of RULES) {
      const d: sarif.ReportingDescriptor | undefined = driver.rules?.find((r) => r.id === rule.meta.id);
      assert.ok(d?.name);
      assert.equal(d.shortDescription?.text, rule.meta.title);
      assert.equal(d.fullDescription?.text, rule.meta.description);
      assert.equal(d.helpUri, rule.meta.docsUrl);
      assert.ok(['error', 'warning', 'note'].includes(d.defaultConfiguration?.level ?? ''));
    }
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(root).href}/`);
  });

  test('results carry rule, level, relative location and 1-based region', () => {
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': `# 🎉 注释\nx = "🎉"; ${LOCKBOX}`,
      'config/initializers/stripe.rb': STRIPE,
    });
    const { run, code } = runSarif([], root);
    assert.equal(code, 1);
    const json = runJson([], root).report.findings;
    const results = run.results ?? [];
    assert.equal(results.length, 2);
    for (const result of results) {
      assert.equal(result.ruleId, RULE);
      assert.equal(run.tool.driver.rules?.[result.ruleIndex ?? -1]?.id, RULE, 'ruleIndex points at the rule');
      const loc = result.locations?.[0]?.physicalLocation;
      assert.equal(loc?.artifactLocation?.uriBaseId, '%SRCROOT%');
      const match = json.find((f) => f.path === loc?.artifactLocation?.uri);
      assert.ok(match, `uri ${loc?.artifactLocation?.uri} is relative to the root`);
      assert.equal(result.level, match.severity === 'error' ? 'error' : 'warning');
      assert.ok(result.message.text?.includes(match.path.includes('lockbox') ? 'Lockbox.master_key' : 'Stripe.api_key'));
      const region = loc?.region;
      assert.equal(region?.startLine, match.range.start.line + 1);
      assert.equal(region?.startColumn, match.range.start.character + 1);
      assert.equal(region?.endLine, match.range.end.line + 1);
      assert.equal(region?.endColumn, match.range.end.character + 1);
    }
    const lockbox = results.find((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'config/initializers/lockbox.rb');
    assert.equal(lockbox?.level, 'error');
    assert.equal(lockbox?.locations?.[0]?.physicalLocation?.region?.startLine, 2);
  });

  test('with --since the run records the revision its results are measured against', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    gitInit(root);
    const commit = commitAll(root, 'base');
    writeFiles(root, { 'config/initializers/stripe.rb': STRIPE });
    const { run, code } = runSarif(['--since', 'main'], root);
    assert.equal(code, 0, 'the Lockbox error was already there; the new Stripe finding is a warning');
    assert.deepEqual(
      run.results?.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri),
      ['config/initializers/stripe.rb'],
    );
    assert.deepEqual(run.properties?.['since'], { revision: 'main', commit });
    assert.equal(runSarif([], root).run.properties, undefined, 'a full audit has no since');
  });

  test('skipped files are tool execution notifications', () => {
    const root = workspace({ ...RAILS_APP, 'lib/blob.rb': Buffer.from([0x52, 0x61, 0x00, 0x01]), 'config/initializers/lockbox.rb': LOCKBOX });
    const { run } = runSarif([], root);
    const notes = run.invocations?.[0]?.toolExecutionNotifications ?? [];
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.level, 'note');
    assert.equal(notes[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'lib/blob.rb');
    assert.match(notes[0]?.message.text ?? '', /binary/);
    assert.equal(run.invocations?.[0]?.executionSuccessful, true);
    assert.equal(run.results?.length, 1, 'the audit went on');
  });
});
