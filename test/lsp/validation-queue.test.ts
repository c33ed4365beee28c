// The validation queue in-process, with the connection's activity simulated as vscode-jsonrpc
// produces it: one dispatched message per event-loop turn while messages are queued.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { ValidationQueue } from '../../server/src/lsp/validationQueue';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Dispatches `count` messages, one per turn, calling `onEach` inside each as a handler would. */
async function dispatch(activity: { dispatched: number }, count: number, onEach: (k: number) => void): Promise<void> {
  for (let k = 0; k < count; k++) {
    activity.dispatched++;
    onEach(k);
    await turn();
  }
}

suite('lsp: validation queue', () => {
  test('a burst of changes, one per turn, is validated once, after the last', async () => {
    const activity = { dispatched: 0 };
    let version = 0;
    const validated: number[] = [];
    const queue = new ValidationQueue(async () => void validated.push(version), activity);
    await dispatch(activity, 300, () => {
      version++;
      queue.now('file:///a.rb');
    });
    assert.deepEqual(validated, []);
    await queue.validated('file:///a.rb');
    assert.deepEqual(validated, [300]);
    queue.dispose();
  });

  test('messages that keep coming do not hold diagnostics back for more than maxStaleMs', async () => {
    const activity = { dispatched: 0 };
    const validated: number[] = [];
    const queue = new ValidationQueue(async () => void validated.push(activity.dispatched), activity, 25, 50);
    queue.now('file:///a.rb');
    const started = performance.now();
    // Other messages (hovers) keep the connection busy for 200 ms.
    while (performance.now() - started < 200) {
      activity.dispatched++;
      await turn();
    }
    assert.ok(validated.length >= 1, 'validated while messages kept coming');
    queue.dispose();
  });

  test('a validation awaiting I/O leaves the event loop idle: the queue does not poll until it ends', async () => {
    // The server burns no CPU while, say, a config read is slow; each look reads `dispatched`.
    let looks = 0;
    const activity = {
      count: 0,
      get dispatched(): number {
        looks++;
        return this.count;
      },
    };
    let release: () => void = () => undefined;
    let runs = 0;
    const queue = new ValidationQueue(() => {
      runs++;
      return new Promise<void>((r) => (release = r));
    }, activity);
    try {
      queue.now('file:///a.rb');
      for (let k = 0; k < 5; k++) await turn();
      assert.equal(runs, 1, 'validation started once the connection was quiet');
      // Edited during the validation: validated again afterwards, not spun on meanwhile.
      activity.count++;
      queue.now('file:///a.rb');
      queue.schedule(['file:///a.rb']);
      await new Promise((r) => setTimeout(r, 60));
      const during = looks;
      for (let k = 0; k < 200; k++) await turn();
      assert.ok(looks - during <= 2, `polled ${looks - during} times in 200 idle turns while a validation ran`);
      assert.equal(runs, 1);
      release();
      for (let k = 0; k < 5; k++) await turn();
      assert.equal(runs, 2, 'the edit made during the validation is validated once it ends');
    } finally {
      // A failing assertion must not leave a polling queue keeping mocha alive.
      queue.dispose();
      release();
    }
  });

  test('requests waiting for a validation are released when it has run, or when the document closes', async () => {
    const activity = { dispatched: 0 };
    let release: () => void = () => undefined;
    const queue = new ValidationQueue(() => new Promise<void>((r) => (release = r)), activity);
    queue.now('file:///a.rb');
    let answered = false;
    void queue.validated('file:///a.rb').then(() => (answered = true));
    for (let k = 0; k < 5; k++) await turn();
    assert.equal(answered, false, 'still validating');
    release();
    await turn();
    assert.equal(answered, true);
    queue.now('file:///b.rb');
    let closed = false;
    void queue.validated('file:///b.rb').then(() => (closed = true));
    queue.cancel('file:///b.rb');
    await turn();
    assert.equal(closed, true);
    queue.dispose();
  });
});
