// Known-incompatible pairs: two packages whose resolved versions break each other at run time,
// as data, each with the claim (knowledge/claims.ts) that holds its evidence. A lockfile that
// resolves a pair is reported whether or not there is a base to compare with.

export interface IncompatiblePair {
  id: string;
  ecosystem: 'rubygems' | 'npm';
  /** The package whose new major breaks the other one; the finding sits on its line. */
  package: string;
  /** Its versions that break (versions.ts constraints, all must hold). */
  breaking: readonly string[];
  /** The package that breaks. */
  dependent: string;
  dependentVersions: readonly string[];
  /** The first release of the dependent that works with the breaking versions, for the advice. */
  fixedIn: string;
  /** What breaks, completing "…, so <effect>." in the message. */
  effect: string;
  /** The Markdown explanation for the hover: what changed and what the dependent does. */
  explanation: string;
  /** The pin that keeps the last compatible line, e.g. `~> 2.5`, and why, for the Gemfile comment. */
  pin: { requirement: string; comment: string };
  claims: readonly string[];
}

export const INCOMPATIBLE_PAIRS: readonly IncompatiblePair[] = [
  {
    id: 'connection_pool-3-sidekiq-positional-pop',
    ecosystem: 'rubygems',
    package: 'connection_pool',
    breaking: ['>= 3.0.0'],
    dependent: 'sidekiq',
    dependentVersions: ['>= 6.0.0', '< 8.0.10'],
    fixedIn: '8.0.10',
    effect: 'its scheduler thread dies at start-up and scheduled jobs and retries stop',
    explanation:
      'connection_pool 3.0 made `TimedStack#pop` keyword-only (`pop(timeout: 0.5, exception: …, **)`). ' +
      "Sidekiq's `Scheduled::Poller` calls `@sleeper.pop(total)` in `initial_wait` and `@sleeper.pop(random_poll_interval)` in `wait`, positionally, " +
      'from 6.0.0 through 8.0.9: the call raises ArgumentError, which `initial_wait` does not rescue (it rescues only Timeout::Error), so the scheduler thread ends at start-up. ' +
      'Jobs pushed for immediate execution keep running; scheduled jobs and retries are never enqueued again. Sidekiq 8.0.10 passes `timeout:` as a keyword.',
    pin: {
      requirement: '~> 2.5',
      comment: 'connection_pool 3 makes TimedStack#pop keyword-only and Sidekiq before 8.0.10 calls it positionally; remove this pin once Sidekiq is 8.0.10 or later.',
    },
    claims: ['connection_pool.pop-keyword-only', 'sidekiq.positional-pop', 'sidekiq.scheduler-dies', 'sidekiq.keyword-pop', 'sidekiq.connection_pool-requirement'],
  },
];
