// Installs the parser binding for in-process tests, as the CLI does: INITAUDIT_PARSER=native|wasm,
// native by default. Every test file imports this first, so a subset run (`mocha --no-config`) gets
// it too. test/rules/fixtures.test.ts and test/parsers/ switch backends themselves.

import { parserBackend, parserBackendName, setParserBackend, type ParserBackend, type ParserBackendName } from '../../server/src/core/parser';
import { requestedParser, useParser } from '../../server/src/parsers/select';

if (!parserBackendName()) useParser(requestedParser(), (message) => process.stderr.write(`${message}\n`));

/**
 * Runs the enclosing suite on one binding and puts the previous one back after it. The native
 * suite is skipped, not failed, where the binding has no prebuild for the platform.
 */
export function onParser(name: ParserBackendName): void {
  let previous: ParserBackend | undefined;
  suiteSetup(function () {
    previous = parserBackend();
    if (useParser(name) !== name) {
      setParserBackend(previous);
      this.skip();
    }
  });
  suiteTeardown(() => {
    if (previous) setParserBackend(previous);
  });
}
