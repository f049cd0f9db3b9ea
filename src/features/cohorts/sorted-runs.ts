/** What the merge needs of a driver cursor: the next document, and a way to let go of it early. */
export type DocCursor<T> = { next(): Promise<T | null>; close(): Promise<void> };

/**
 * Reads a cursor sorted by a key, one run of equal keys at a time. Several of these, advanced
 * together in the same key order, join collections without holding any of them in memory: each
 * learner's documents are read, used and dropped before the next learner's.
 */
export class SortedRuns<T> {
  private head: T | null | undefined;

  constructor(
    private readonly cursor: DocCursor<T>,
    private readonly keyOf: (doc: T) => string,
  ) {}

  /** Starts the query, so that several cursors' first batches are fetched at the same time. */
  async prime(): Promise<void> {
    if (this.head === undefined) this.head = await this.cursor.next();
  }

  /** The documents whose key is `key`; documents with smaller keys (someone not in the cohort) are skipped. */
  async take(key: string): Promise<T[]> {
    const run: T[] = [];
    for (;;) {
      await this.prime();
      const doc = this.head;
      if (doc === null || doc === undefined) return run;
      const k = this.keyOf(doc);
      if (k > key) return run;
      if (k === key) run.push(doc);
      this.head = undefined;
    }
  }

  async close(): Promise<void> {
    await this.cursor.close();
  }
}
