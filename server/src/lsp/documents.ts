// Open editor buffers with the syntax tree kept for incremental reparsing. TextDocuments from
// vscode-languageserver is not used because it hides the change ranges the tree edit needs.

import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isLoaded, languageOf, parseSync, type Tree } from '../core/parser';
import type { LanguageId } from '../core/types';
import { treeEditFor } from './treeEdit';

export interface OpenDocument {
  readonly uri: string;
  /** The file's path, or a synthetic one for buffers without a file. */
  readonly path: string;
  /** No file behind it (untitled:): fixes that touch other files are not offered. */
  readonly synthetic: boolean;
  /** Undefined for files initaudit does not read. */
  readonly lang: LanguageId | undefined;
  text: TextDocument;
  /** Kept only while the text is worth analysing; undefined means "parse from scratch". */
  tree: Tree | undefined;
  /**
   * The tree has been edited for changes it has not been reparsed for. Reparsing waits until an
   * analysis wants the tree, so a burst of edits costs one incremental parse, not one per edit.
   */
  stale: boolean;
  /** How long the last (re)parse took, in ms: the server's trace splits an analysis's time with it. */
  parseMs?: number;
}

export class DocumentStore {
  private readonly byUri = new Map<string, OpenDocument>();
  private readonly byPath = new Map<string, OpenDocument>();
  /** Told after a document opens, changes or closes (the analyzer drops what other documents' analyses reused). */
  onMutate: ((uri: string, kind: 'open' | 'change' | 'close') => void) | undefined;

  open(uri: string, path: string, synthetic: boolean, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const doc: OpenDocument = {
      uri,
      path,
      synthetic,
      lang: languageOf(path),
      text: TextDocument.create(uri, languageId, version, text),
      tree: undefined,
      stale: false,
    };
    this.byUri.set(uri, doc);
    this.byPath.set(path, doc);
    this.onMutate?.(uri, 'open');
    return doc;
  }

  get(uri: string): OpenDocument | undefined {
    return this.byUri.get(uri);
  }

  getByPath(path: string): OpenDocument | undefined {
    return this.byPath.get(path);
  }

  all(): OpenDocument[] {
    return [...this.byUri.values()];
  }

  /** Buffer text of an open file, so the engine and fixes see unsaved edits. */
  textOf(path: string): string | undefined {
    return this.byPath.get(path)?.text.getText();
  }

  /**
   * Applies changes in order. For each ranged change the tree is edited against the text
   * before that change; after all of them the tree is reparsed once, incrementally. Throws
   * (after the text is fully updated) if the tree could not be edited.
   */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.byUri.get(uri);
    if (!doc) return undefined;
    // A failed tree edit must not leave the text behind the client's: drop the tree, finish
    // applying the text, then report the failure.
    let failure: unknown;
    for (const change of changes) {
      if ('range' in change) {
        const before = doc.text.getText();
        let start = doc.text.offsetAt(change.range.start);
        let end = doc.text.offsetAt(change.range.end);
        if (end < start) [start, end] = [end, start];
        try {
          doc.tree?.edit(treeEditFor(before, start, end, change.text));
        } catch (e) {
          failure ??= e;
          this.dropTree(doc);
        }
        // Hand TextDocument the clamped range: its line-offset bookkeeping trusts range lines,
        // and a range past the end of the text would corrupt it.
        const range = { start: doc.text.positionAt(start), end: doc.text.positionAt(end) };
        doc.text = TextDocument.update(doc.text, [{ range, text: change.text }], version);
      } else {
        this.dropTree(doc);
        doc.text = TextDocument.update(doc.text, [{ text: change.text }], version);
      }
    }
    // An empty change list still bumps the version.
    if (changes.length === 0) doc.text = TextDocument.update(doc.text, [], version);
    if (doc.tree) doc.stale = true;
    this.onMutate?.(uri, 'change');
    if (failure !== undefined) throw failure;
    return doc;
  }

  /**
   * The document's tree for its current text: reparsed incrementally from the edited tree, or
   * parsed from scratch when there is none; undefined if the grammar is not loaded.
   */
  treeOf(doc: OpenDocument): Tree | undefined {
    const old = doc.tree;
    const started = performance.now();
    if (old && doc.stale) {
      // Without a parser (it is rebuilt after a wasm trap) the edited tree cannot be reparsed; drop it.
      doc.tree = doc.lang && isLoaded(doc.lang) ? parseSync(doc.lang, doc.text.getText(), old) : undefined;
      doc.stale = false;
      doc.parseMs = performance.now() - started;
      // Freed after this turn's diagnostics are out: freeing a large tree is not free either.
      this.retire(old);
    }
    if (!doc.tree && doc.lang && isLoaded(doc.lang)) {
      doc.tree = parseSync(doc.lang, doc.text.getText());
      doc.parseMs = performance.now() - started;
    }
    return doc.tree;
  }

  private readonly retired: Tree[] = [];
  private retiring: NodeJS.Immediate | undefined;

  private retire(tree: Tree): void {
    this.retired.push(tree);
    this.retiring ??= setImmediate(() => {
      this.retiring = undefined;
      for (const t of this.retired.splice(0)) t.delete();
    });
  }

  /** Frees the tree of a document that no longer needs analysing (it lost its triggers). */
  dropTree(doc: OpenDocument): void {
    doc.tree?.delete();
    doc.tree = undefined;
    doc.stale = false;
  }

  close(uri: string): OpenDocument | undefined {
    const doc = this.byUri.get(uri);
    if (!doc) return undefined;
    this.dropTree(doc);
    this.byUri.delete(uri);
    if (this.byPath.get(doc.path) === doc) this.byPath.delete(doc.path);
    this.onMutate?.(uri, 'close');
    return doc;
  }

  dispose(): void {
    for (const uri of [...this.byUri.keys()]) this.close(uri);
    if (this.retiring) clearImmediate(this.retiring);
    this.retiring = undefined;
    for (const t of this.retired.splice(0)) t.delete();
  }
}
