// The exported Markdown summary stays readable whatever the messages contain, and says when it is
// partial. Built from records, as the language server builds it from an audit.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import type { AuditResult } from '../../server/src/audit/run';
import { markdownReport } from '../../server/src/report/markdown';
import type { Finding } from '../../server/src/core/types';

const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 3 } });
const finding = (path: string, line: number, message: string): Finding => ({
  ruleId: 'env-forked-nil-secret',
  severity: 'warning',
  path,
  range: range(line),
  message,
  related: [],
  fixes: [],
});
const result = (root: string, over: Partial<AuditResult> = {}): AuditResult => ({ root, files: [], findings: [], notes: [], skipped: [], warnings: [], errors: [], ...over });
const options = { finishedAt: new Date('2026-01-02T03:04:05Z'), version: '9.9.9' };

suite('audit: Markdown report', () => {
  test('pipes, backticks and line breaks in messages keep the tables and lists intact', () => {
    const md = markdownReport(
      [
        result('/w', {
          files: ['/w/a.rb'],
          findings: [finding('/w/a.rb', 4, 'uses `a || b`\nthen | more')],
          notes: [{ kind: 'benign', ruleId: 'env-forked-nil-secret', path: '/w/a`b.rb', range: range(0), subject: 'x|y', reason: 'why | not' }],
        }),
      ],
      options,
    );
    assert.match(md, /^- line 5, warning, `env-forked-nil-secret`: uses `a \|\| b` then \| more$/m);
    assert.match(md, /^\| `` a`b\.rb `` \| 1 \| `x\\\|y` \| `env-forked-nil-secret` \| why \\\| not \|$/m);
    assert.match(md, /^Generated 2026-01-02T03:04:05\.000Z by initaudit 9\.9\.9\.$/m);
    assert.match(md, /^1 file audited, 1 finding \(1 warning\), 1 env fork judged benign\.$/m);
  });

  test('a cancelled audit says the report is partial; skipped files and errors are listed', () => {
    const md = markdownReport(
      [
        result('/w', {
          cancelled: true,
          skipped: [{ path: '/w/big.rb', reason: 'too-large', detail: 'over 1 MiB: 2000000 bytes' }],
          errors: [{ path: '/w/bad.rb', message: 'rule x failed' }],
        }),
      ],
      options,
    );
    assert.match(md, /\*\*The audit was cancelled: this report covers only the files analysed before that\.\*\*/);
    assert.match(md, /^## Not analysed\n\n- `bad\.rb`: rule x failed\n- `big\.rb`: skipped \(over 1 MiB: 2000000 bytes\)$/m);
    assert.match(md, /^No findings\.$/m);
    assert.match(md, /^## Environment forks judged benign\n\nForked settings the rules saw and chose not to report, with the reason\.\n\nNone\.$/m);
  });

  test('in a multi-root workspace files are named with their folder', () => {
    const md = markdownReport([result('/w/api', { files: ['/w/api/a.ts'], findings: [finding('/w/api/a.ts', 0, 'm')] }), result('/w/web')], options);
    assert.match(md, /^### `api\/a\.ts`$/m);
    assert.match(md, /^Folders: `\/w\/api`, `\/w\/web`\.$/m);
  });
});
