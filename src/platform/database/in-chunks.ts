/**
 * Values per `$in` when a page asks for a set of learners' records. The local database (FerretDB
 * v1 with our patch) finds the rows through the index, then tests each of them against every `$in`
 * value in turn; a few hundred values keep that test cheap, where a cohort's thousands made it the
 * page's main cost. MongoDB answers the small queries from the same indexes.
 */
export const IN_CHUNK = 250;

/** `values` cut into runs of at most `size`. */
export function chunked<T>(values: readonly T[], size = IN_CHUNK): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < values.length; i += size) runs.push(values.slice(i, i + size));
  return runs;
}

/**
 * Runs `query` for each chunk of `values`, a few chunks at a time, and returns every answer in
 * chunk order. The number of queries is ⌈values / IN_CHUNK⌉, whatever else the database holds.
 */
export async function inChunks<V, R>(values: readonly V[], query: (chunk: V[]) => Promise<R[]>, parallel = 4): Promise<R[]> {
  const runs = chunked(values);
  const answers: R[][] = new Array(runs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, runs.length) }, async () => {
      while (next < runs.length) {
        const i = next++;
        answers[i] = await query(runs[i]!);
      }
    }),
  );
  return answers.flat();
}
