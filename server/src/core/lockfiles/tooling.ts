// Test and documentation tooling: packages whose new major fails loudly in CI, or not at all,
// rather than silently in production. They are on a runtime path only by accident (Rails' railties
// pulls irb, which pulls rdoc; activesupport pulls minitest), so a major bump of one is info.

export type ToolingKind = 'test' | 'documentation' | 'development';

/** Exact names, then prefixes (`rspec-` covers rspec-core, rspec-mocks, …). */
const RUBYGEMS_TOOLING: Readonly<Record<string, ToolingKind>> = {
  minitest: 'test',
  'minitest-reporters': 'test',
  'test-unit': 'test',
  power_assert: 'test',
  rspec: 'test',
  mocha: 'test',
  // Pulled by actionpack for integration tests; nothing in production calls it.
  'rack-test': 'test',
  capybara: 'test',
  'selenium-webdriver': 'test',
  webmock: 'test',
  vcr: 'test',
  simplecov: 'test',
  'simplecov-html': 'test',
  docile: 'test',
  factory_bot: 'test',
  factory_bot_rails: 'test',
  'shoulda-matchers': 'test',
  rdoc: 'documentation',
  yard: 'documentation',
  rubocop: 'development',
  debug: 'development',
  byebug: 'development',
  pry: 'development',
  'web-console': 'development',
  brakeman: 'development',
};

const RUBYGEMS_TOOLING_PREFIXES: readonly [string, ToolingKind][] = [
  ['rspec-', 'test'],
  ['minitest-', 'test'],
  ['rubocop-', 'development'],
];

export function rubygemsTooling(name: string): ToolingKind | undefined {
  return RUBYGEMS_TOOLING[name] ?? RUBYGEMS_TOOLING_PREFIXES.find(([p]) => name.startsWith(p))?.[1];
}

/** npm marks dev-only packages in the lockfile itself (`"dev": true`); these are tooling even when a runtime package pulls them. */
const NPM_TOOLING: Readonly<Record<string, ToolingKind>> = {
  typescript: 'development',
  eslint: 'development',
  prettier: 'development',
  jest: 'test',
  vitest: 'test',
  mocha: 'test',
  typedoc: 'documentation',
  jsdoc: 'documentation',
};

export function npmTooling(name: string): ToolingKind | undefined {
  return NPM_TOOLING[name] ?? (name.startsWith('@types/') ? 'development' : undefined);
}
