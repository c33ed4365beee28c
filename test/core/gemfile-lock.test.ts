// Gemfile.lock as Bundler writes it, every section, and the inputs it must survive: platform
// suffixes, GIT/PATH sources, CHECKSUMS, RUBY VERSION, bare dependencies, CRLF and a BOM, and a
// lockfile caught mid-merge.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { parseGemLockfile, specsByName } from '../../server/src/core/lockfiles/gemfile-lock';

const LOCK = `GIT
  remote: https://example.com/acme/feature_flags.git
  revision: 4f1c2a9e
  branch: main
  specs:
    feature_flags (0.4.0)
      activesupport (>= 6.1)

PATH
  remote: engines/billing
  specs:
    billing (0.1.0)
      rails (>= 7.1, < 9)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.16.7-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.16.7-x86_64-linux-gnu)
      racc (~> 1.4)
    racc (1.8.1)
    redis-client (0.23.0)
      connection_pool
    sorbet-static (0.5.11-universal-darwin)

PLATFORMS
  arm64-darwin
  x86_64-linux-gnu

DEPENDENCIES
  billing!
  feature_flags!
  nokogiri (~> 1.16, >= 1.16.2)
  redis-client

CHECKSUMS
  nokogiri (1.16.7-arm64-darwin) sha256=aa11
  racc (1.8.1) sha256=bb22
  billing (0.1.0)

RUBY VERSION
   ruby 3.3.6p108

BUNDLED WITH
   2.6.2
`;

suite('Gemfile.lock parser', () => {
  test('reads every section', () => {
    const lock = parseGemLockfile(LOCK);
    const specs = specsByName(lock);
    assert.deepEqual([...specs.keys()], ['feature_flags', 'billing', 'nokogiri', 'racc', 'redis-client', 'sorbet-static']);
    assert.equal(specs.get('feature_flags')?.source, 'GIT');
    assert.equal(specs.get('feature_flags')?.remote, 'https://example.com/acme/feature_flags.git');
    assert.equal(specs.get('billing')?.source, 'PATH');
    assert.deepEqual(specs.get('billing')?.dependencies.map((d) => d.requirements), [['>= 7.1', '< 9']]);
    assert.deepEqual(lock.platforms, ['arm64-darwin', 'x86_64-linux-gnu']);
    assert.equal(lock.ruby, 'ruby 3.3.6p108');
    assert.equal(lock.bundler, '2.6.2');
    assert.deepEqual([...lock.checksums.keys()], ['nokogiri (1.16.7-arm64-darwin)', 'racc (1.8.1)', 'billing (0.1.0)']);
    assert.deepEqual(lock.checksums.get('billing (0.1.0)'), []);
    assert.deepEqual(lock.conflictLines, []);
  });

  test('splits the platform from the version, and keeps each platform variant', () => {
    const lock = parseGemLockfile(LOCK);
    const nokogiri = lock.specs.filter((s) => s.name === 'nokogiri');
    assert.deepEqual(
      nokogiri.map((s) => [s.version, s.platform]),
      [
        ['1.16.7', 'arm64-darwin'],
        ['1.16.7', 'x86_64-linux-gnu'],
      ],
    );
    assert.equal(specsByName(lock).get('sorbet-static')?.version, '0.5.11');
  });

  test('a bare dependency has no requirement; DEPENDENCIES keeps the Gemfile requirements and the ! of git and path sources', () => {
    const lock = parseGemLockfile(LOCK);
    assert.deepEqual(specsByName(lock).get('redis-client')?.dependencies.map((d) => [d.name, d.requirements]), [['connection_pool', []]]);
    assert.deepEqual(lock.dependencies.get('nokogiri')?.requirements, ['~> 1.16', '>= 1.16.2']);
    assert.equal(lock.dependencies.get('billing')?.pinnedSource, true);
    assert.equal(lock.dependencies.get('redis-client')?.pinnedSource, false);
  });

  test('positions point at the gem name on its specs line', () => {
    const lock = parseGemLockfile(LOCK);
    const racc = specsByName(lock).get('racc')!;
    assert.equal(LOCK.split('\n')[racc.line], '    racc (1.8.1)');
    assert.deepEqual([racc.start, racc.end], [4, 8]);
  });

  test('CRLF line endings and a byte order mark read the same', () => {
    const crlf = parseGemLockfile(`\uFEFF${LOCK.replace(/\n/g, '\r\n')}`);
    const lf = parseGemLockfile(LOCK);
    assert.deepEqual(
      crlf.specs.map((s) => [s.name, s.version, s.line]),
      lf.specs.map((s) => [s.name, s.version, s.line]),
    );
    assert.deepEqual([...crlf.dependencies.keys()], [...lf.dependencies.keys()]);
  });

  test('merge conflict markers are recorded, not fatal', () => {
    const conflicted = LOCK.replace('    racc (1.8.1)\n', '<<<<<<< HEAD\n    racc (1.8.1)\n||||||| base\n    racc (1.7.3)\n=======\n    racc (1.8.0)\n>>>>>>> upgrade\n');
    const lock = parseGemLockfile(conflicted);
    const lines = conflicted.split('\n');
    assert.deepEqual(
      lock.conflictLines.map((l) => lines[l]),
      ['<<<<<<< HEAD', '||||||| base', '=======', '>>>>>>> upgrade'],
    );
  });

  test('unknown sections, odd indentation and garbage are skipped', () => {
    const lock = parseGemLockfile(`PLUGIN SOURCE\n  remote: https://example.com/plugin\n  specs:\n    my_plugin (1.0.0)\n\nSOMETHING NEW\n  whatever (1.0)\n\nGEM\n  specs:\n   three-spaces (1.0)\n    good (2.0)\n    no-version\n\t\ttabs (1.0)\n`);
    assert.deepEqual(
      lock.specs.map((s) => [s.name, s.source]),
      [
        ['my_plugin', 'PLUGIN SOURCE'],
        ['good', 'GEM'],
      ],
    );
    assert.doesNotThrow(() => parseGemLockfile('\u0000\u0001 binary ( ) )))'));
  });
});
