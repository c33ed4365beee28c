// Returning memory after documents close. Their trees are deleted at once, but the garbage of
// their analyses goes back to the system only with a full collection, and an idle server
// allocates nothing that would start one: without this the resident size stays at its peak.
// The extension starts the server with --expose-gc; one collection runs after a second of quiet.
// (tree-sitter's WebAssembly heap keeps its high-water mark: linear memory cannot shrink.)

const QUIET_MS = 1000;

export class MemoryRelease {
  private timer: NodeJS.Timeout | undefined;

  /** Asks for one collection once nothing else has closed for a second; a no-op without --expose-gc. */
  soon(): void {
    const collect = globalThis.gc;
    if (!collect) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      collect();
    }, QUIET_MS);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
