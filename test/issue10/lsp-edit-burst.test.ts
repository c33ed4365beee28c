// The language server under a burst of edits (issue 10, case 14), through real JSON-RPC: hundreds
// of incremental edits sent without waiting, with hovers and code actions among them. The final
// diagnostics must equal those of a fresh open of the final text, the server must not analyse
// every intermediate version (counted from its trace: one `$/logTrace` line per analysis), and
// every request must be answered, either from the analysis of the latest text or, when its
// document changed before it could be, with ContentModified. No timing is asserted here; the
// time the backlog takes to drain is `npm run bench`'s edit storm.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { LspServer, makeWorkspace, removeWorkspace } from '../lsp/client';

const CONTENT_MODIFIED = -32801;
const EDITS = 400;

/** A large initializer: ordinary settings, comment lines to type into, a few forked secrets. */
function initializer(lines: number): string {
  const out = ['Rails.application.configure do'];
  for (let i = 0; out.length < lines - 1; i++) {
    out.push(`  # Setting ${i}: tuned for the nightly import`);
    if (i % 40 === 0) out.push(`  config.x.partner_${i}_api_key = Rails.env.test? ? nil : Chamber.dig(:partner_${i}, :api_key)`);
    else out.push(`  config.x.feature_${i}_enabled = ${i % 3 === 0 ? 'true' : 'false'}`);
  }
  out.push('end');
  return `${out.join('\n')}\n`;
}

const shape = (ds: readonly Diagnostic[]): string => JSON.stringify(ds.map((d) => [d.range, d.code, d.message]).sort());

suite('issue 10: a burst of edits in the language server', () => {
  let root: string;
  let server: LspServer;
  setup(() => {
    root = makeWorkspace({ Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "chamber"\n', 'config/application.rb': 'module App\nend\n' });
  });
  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  test('ends with the diagnostics of a fresh open, analyses few of the versions, and answers every request', async function () {
    this.timeout(120_000);
    server = LspServer.start();
    const traces: string[] = [];
    server.connection.onNotification('$/logTrace', (p: { message: string }) => {
      traces.push(p.message);
    });
    await server.initialize(root);
    await server.connection.sendNotification('$/setTrace', { value: 'messages' });
    const path = join(root, 'config/initializers/partners.rb');
    const doc = await server.open(path, 'ruby', initializer(1500));
    const first = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.ok(first.length >= 10, `only ${first.length} findings to begin with`);

    const lines = doc.text.split('\n');
    const comments = lines.flatMap((l, i) => (l.trimStart().startsWith('#') ? [i] : []));
    const sent: Promise<unknown>[] = [];
    const answers: Promise<'answered' | 'modified'>[] = [];
    const answer = (p: Promise<unknown>): Promise<'answered' | 'modified'> =>
      p.then(
        () => 'answered' as const,
        (e: unknown) => {
          if ((e as { code?: number }).code === CONTENT_MODIFIED) return 'modified' as const;
          throw e;
        },
      );
    for (let e = 0; e < EDITS; e++) {
      const line = comments[(e * 37) % comments.length]!;
      const text = lines[line]!;
      const at = { line, character: text.length };
      // Type a letter at the end of a comment line, or take it back.
      sent.push(text.endsWith('x') ? server.change(doc, [{ range: { start: { line, character: text.length - 1 }, end: at }, text: '' }]) : server.change(doc, [{ range: { start: at, end: at }, text: 'x' }]));
      lines[line] = text.endsWith('x') ? text.slice(0, -1) : `${text}x`;
      if (e % 10 === 5) {
        const d = first[e % first.length]!;
        answers.push(answer(server.connection.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: d.range.start })));
        answers.push(answer(server.codeActions(doc, d.range, [d])));
      }
    }
    // The last edit turns one forked secret into a plain setting: the final findings differ from the first.
    const forked = lines.findIndex((l) => l.includes('Rails.env.test? ? nil :'));
    sent.push(server.change(doc, [{ range: { start: { line: forked, character: 0 }, end: { line: forked, character: lines[forked]!.length } }, text: '  config.x.partner_0_api_key = "not a secret"' }]));
    await Promise.all(sent);
    const final = await server.waitForDiagnostics(doc.uri, doc.version);
    assert.equal(final.length, first.length - 1);
    const outcomes = await Promise.all(answers);
    assert.equal(outcomes.length, 2 * (EDITS / 10));

    const fresh = await server.open(join(root, 'config/initializers/partners_copy.rb'), 'ruby', doc.text);
    assert.equal(shape(final), shape(await server.waitForDiagnostics(fresh.uri, fresh.version)));

    // A request made on the final version is answered from its analysis.
    const d = final[0]!;
    const hover = await server.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: doc.uri }, position: d.range.start });
    assert.match(hover?.contents.value ?? '', /env-forked-nil-secret/);
    assert.ok(((await server.codeActions(doc, d.range, [d])) ?? []).length > 0, 'a quick fix for the final version');

    const analysed = traces.filter((t) => t.includes(`analysed ${path} v`));
    assert.ok(analysed.some((t) => t.includes(` v${doc.version} `)), 'the final version was analysed');
    // The first version, the final one, and a few in between when the queue ran dry or stayed busy for a second.
    assert.ok(analysed.length < EDITS / 4, `${analysed.length} analyses for ${EDITS + 1} versions:\n${analysed.join('\n')}`);
  });
});
