/**
 * Differential tests for our patch to the local database (tools/localdb/_ferretdb): the filters it
 * pushes down to SQLite must change no result. A generated corpus (arrays, nested documents,
 * missing fields, nulls, numbers, dates, ObjectIds, strings that spell ObjectIds, escapes and
 * non-ASCII text) is queried with generated filters over the wire, and every answer is compared,
 * in order, with mingo, an independent evaluator of MongoDB's query semantics; a third of the
 * queries also exclude a field by projection (which the patch may leave undecoded).
 */
import { Query } from 'mingo';
import { type Collection, type Document, type Filter, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import { connectTestDatabase } from '../../helpers/database';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_pushdown');
});
afterAll(async () => {
  await connection.close();
});

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

const hex = '6523abcd6523abcd6523abcd';
const oids = [new ObjectId(hex), new ObjectId('0000000000000000000000ff'), new ObjectId('ffffffffffffffffffffff00')];
const strings = [
  'x',
  'y',
  'X',
  '',
  hex, // a string that spells an ObjectId stored elsewhere
  'a<b&c>',
  'é',
  'e\u0301',
  'line\u2028sep',
  'quote"s',
  'back\\slash',
  '[x]',
  'null',
  '1',
  '日本',
  '😀',
  "it's",
];
const scalars: unknown[] = [null, 0, 1, 1.5, -1, true, false, new Date(0), new Date(5), { x: 'x' }, {}];
// FerretDB v1 refuses nested arrays, so the corpus has none.
const arrays: unknown[] = [['x', 'y'], ['x', oids[0]], [], [null], [1, 'y'], [{ x: 'x' }], [hex], ['日本', 'é']];

const MISSING = Symbol('missing');
const isPlainDocument = (v: unknown) => typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof ObjectId) && !Array.isArray(v);
const indexedFields = ['userId', 'a', 'b', 'ref', 'tags', 's', 'oid'] as const;
const fields = [...indexedFields, 'n', '_id'] as const;

function fieldValue(r: ReturnType<typeof random>): unknown {
  const roll = r.next();
  if (roll < 0.45) return r.pick(strings);
  if (roll < 0.6) return r.pick(oids);
  if (roll < 0.72) return r.pick(arrays);
  if (roll < 0.85) return MISSING;
  return r.pick(scalars);
}

function corpus(seed: number, size: number): Document[] {
  const r = random(seed);
  const docs: Document[] = [];
  for (let i = 0; i < size; i++) {
    // _id: ObjectIds and strings (arrays are not allowed as _id)
    const doc: Document = { _id: r.next() < 0.5 ? new ObjectId() : `${r.pick(strings)}#${i}`, i };
    for (const f of [...indexedFields, 'n']) {
      const v = fieldValue(r);
      if (v !== MISSING) doc[f] = v;
    }
    docs.push(doc);
  }
  return docs;
}

/** One condition on a field: mostly the shapes the patch pushes down, some it must leave alone. */
function condition(r: ReturnType<typeof random>, docs: Document[]): unknown {
  const value = () => (r.next() < 0.7 ? r.pick(strings) : r.pick(oids));
  const existingId = () => (r.pick(docs) as Document)._id;
  switch (r.int(14)) {
    case 0:
    case 1:
    case 2:
      return value();
    case 3:
      return { $eq: value() };
    case 4:
    case 5:
      return { $in: Array.from({ length: 1 + r.int(4) }, value) };
    case 6:
      return { $in: [value(), null] };
    case 7:
      return { $in: [] };
    case 8:
      // FerretDB v1's own matcher (with or without our patch) misses an embedded document inside
      // an array, `{f: {x: 'x'}}` against `f: [{x: 'x'}]`: not a pushdown question, left out.
      return r.pick(scalars.filter((v) => !isPlainDocument(v)));
    case 9:
      return { $ne: value() };
    case 10:
      return { $in: [value(), value()], $ne: value() };
    case 11:
      return { $exists: r.next() < 0.5 };
    case 12:
      return r.pick(arrays);
    default:
      return r.next() < 0.5 ? existingId() : { $in: [existingId(), existingId(), value()] };
  }
}

function filterFor(r: ReturnType<typeof random>, docs: Document[]): Filter<Document> {
  const filter: Document = {};
  const count = 1 + r.int(3);
  for (let k = 0; k < count; k++) filter[r.pick(fields)] = condition(r, docs);
  if (r.next() < 0.08) return { $or: [filter, { userId: condition(r, docs) }] };
  return filter;
}

async function loadCorpus(name: string, docs: Document[]): Promise<Collection> {
  const collection = connection.db!.collection(name);
  await collection.createIndex({ userId: 1 });
  await collection.createIndex({ a: 1, b: 1 });
  await collection.createIndex({ ref: 1 });
  // SQLite reads `"oid"` as the rowid column: the patch must leave this field to the handler
  await collection.createIndex({ oid: 1 });
  await collection.createIndex({ tags: 1 });
  await collection.createIndex({ s: 1, i: 1 });
  await collection.insertMany(docs);
  return collection;
}

async function compare(collection: Collection, docs: Document[], seed: number, cases: number) {
  const r = random(seed);
  const failures: string[] = [];
  let matched = 0;
  const filters = Array.from({ length: cases }, () => filterFor(r, docs));
  // A few queries at a time: the server answers them concurrently, as it does for the app.
  for (let start = 0; start < filters.length; start += 16) {
    await Promise.all(
      filters.slice(start, start + 16).map(async (filter, k) => {
        // a third of the queries also exclude a field, which the patch may leave undecoded when
        // nothing else reads it: whole documents are compared then
        const excluded = (start + k) % 3 === 0 ? fields[(start + k) % fields.length]! : undefined;
        const projection = excluded && excluded !== '_id' ? { [excluded]: 0 } : undefined;
        const found = await collection.find(filter, { projection }).sort({ i: 1 }).toArray();
        const wanted = new Query(filter as Record<string, unknown>)
          .find<Document>(docs)
          .all()
          .sort((x, y) => (x.i as number) - (y.i as number))
          .map((d) => (projection ? Object.fromEntries(Object.entries(d).filter(([key]) => key !== excluded)) : d));
        const got = JSON.stringify(projection ? found : found.map((d) => d.i));
        const want = JSON.stringify(projection ? wanted : wanted.map((d) => d.i));
        matched += wanted.length;
        if (got !== want) failures.push(`${JSON.stringify(filter)} ${JSON.stringify(projection ?? {})}: got ${got}, want ${want}`);
      }),
    );
  }
  return { failures, matched };
}

describe('the local database pushes indexed filters down without changing a result', () => {
  it.each([
    [1, 1000],
    [2, 1000],
    [3, 1000],
    [4, 1000],
    [5, 1000],
  ])('when corpus %i (300 documents) is queried with %i generated filters, then every answer equals MongoDB semantics', async (seed, cases) => {
    const docs = corpus(seed, 300);
    const collection = await loadCorpus(`corpus_${seed}`, docs);
    const { failures, matched } = await compare(collection, docs, seed * 7919, cases);
    expect(failures.slice(0, 5)).toEqual([]);
    // the generated filters do select documents: the comparison is not between empty answers
    expect(matched).toBeGreaterThan(cases);
  }, 120_000);

  it('when a field holds an array containing the value, then equality and $in still find the document', async () => {
    const collection = await loadCorpus('arrays', [
      { _id: 'p', i: 1, userId: ['u1', 'u2'] },
      { _id: 'q', i: 2, userId: 'u1' },
      { _id: 'r', i: 3, userId: [{ id: 'u1' }] },
      { _id: 's', i: 4, userId: [oids[0]] },
      { _id: 't', i: 5, userId: hex },
    ]);
    const ids = async (filter: Filter<Document>) => (await collection.find(filter).sort({ i: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ userId: 'u1' })).toEqual(['p', 'q']);
    expect(await ids({ userId: { $in: ['u2', 'zz'] } })).toEqual(['p']);
    expect(await ids({ userId: oids[0] })).toEqual(['s']);
    expect(await ids({ userId: hex })).toEqual(['t']);
  });
});

describe('explain tells whether the patch pushed a filter down', () => {
  let collection: Collection;
  beforeAll(async () => {
    collection = await loadCorpus('explained', corpus(9, 50));
  });

  const plan = async (filter: Document) => {
    const explained = await collection.find(filter as Filter<Document>).explain();
    return { pushed: explained.filterPushdown as boolean, plan: JSON.stringify(explained.queryPlanner) };
  };

  it('when a query filters on indexed fields by equality or $in, then SQLite searches their index', async () => {
    for (const filter of [{ userId: 'x' }, { userId: { $in: ['x', 'y'] } }, { a: 'x', b: 'y' }, { ref: oids[0] }]) {
      const { pushed, plan: text } = await plan(filter);
      expect(pushed).toBe(true);
      expect(text).toMatch(/SEARCH \S+ USING INDEX/);
      expect(text).not.toMatch(/SCAN/);
    }
  });

  it('when a query looks up _id, then the _id index serves it', async () => {
    const { pushed, plan: text } = await plan({ _id: 'x' });
    expect(pushed).toBe(true);
    expect(text).toMatch(/USING INDEX \S+__id_ /);
  });

  it('when a filter is on an unindexed field, a dotted path or a number, then nothing is pushed down', async () => {
    for (const filter of [{ n: 'x' }, { oid: 'x' }, { 'userId.x': 'x' }, { userId: 1 }, { userId: null }, { userId: { $in: ['x', null] } }]) {
      expect((await plan(filter)).pushed).toBe(false);
    }
  });
});
