import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '../../support/db';

/**
 * rollup_hist_percentiles (sql/061): percentile_cont(p) of the values a histogram stands for,
 * each value its bucket's midpoint 1.002^(b + 0.5) seconds (0 for the zero bucket -1000000).
 */
describe('rollup_hist_percentiles', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const percentiles = async (buckets: number[] | null, counts: number[] | null, ps: number[]) =>
    (
      await client.query('select rollup_hist_percentiles($1::integer[], $2::bigint[], $3::float8[]) as v', [
        buckets,
        counts,
        ps,
      ])
    ).rows[0].v as (number | null)[];

  it('interpolates between the midpoints as percentile_cont does, in any order of p', async () => {
    // Values: 0 (zero bucket), none in bucket 10 (count 0), three of m = 1.002^20.5 (bucket 20):
    // sorted [0, m, m, m], n = 4, rank = p * (n - 1).
    //   p 0.25: rank 0.75, between [0] = 0 and [1] = m: 0 + 0.75 * (m - 0) = 0.75 m
    //   p 0.5:  rank 1.5, between [1] = m and [2] = m: m
    //   p 0:    rank 0: [0] = 0 (asked after 0.5, so the walk starts again from the first bucket)
    //   p 1:    rank 3: [3] = m
    const m = 1.002 ** 20.5;
    const got = await percentiles([-1_000_000, 10, 20], [1, 0, 3], [0.25, 0.5, 0, 1]);
    expect(got).toHaveLength(4);
    [0.75 * m, m, 0, m].forEach((want, k) => expect(got[k]).toBeCloseTo(want, 12));
  });

  it('takes p between buckets by their counts', async () => {
    // Buckets 0 (midpoint a = 1.002^0.5), 100 (b = 1.002^100.5), counts 2 and 2: sorted [a, a, b, b].
    //   p 0.5: rank 1.5, between [1] = a and [2] = b: a + 0.5 (b - a)
    //   p 0.9: rank 2.7, between [2] = b and [3] = b: b
    const [a, b] = [1.002 ** 0.5, 1.002 ** 100.5];
    const [p50, p90] = await percentiles([0, 100], [2, 2], [0.5, 0.9]);
    expect(p50).toBeCloseTo(a + 0.5 * (b - a), 12);
    expect(p90).toBeCloseTo(b, 12);
  });

  it('is null for every p of an empty histogram', async () => {
    expect(await percentiles(null, null, [0.5, 0.9])).toEqual([null, null]);
    expect(await percentiles([5, 6], [0, 0], [0.5, 0.9])).toEqual([null, null]);
  });

  it('equals percentile_cont over the expanded values of a larger histogram', async () => {
    // 300 buckets with counts 0-4 from a fixed sequence; the reference expands each bucket into
    // its count of midpoints and asks PostgreSQL's own percentile_cont.
    const buckets = Array.from({ length: 300 }, (_, i) => 2000 + 7 * i);
    const counts = buckets.map((_, i) => (i * 37 + 11) % 5);
    const ps = [0.5, 0.9, 0.1, 0.99, 0.5];
    const got = await percentiles(buckets, counts, ps);
    const { rows } = await client.query(
      `select array_agg(v order by k) as v
         from unnest($3::float8[]) with ordinality as q (p, k)
         cross join lateral (
           select percentile_cont(q.p) within group (order by rollup_bucket_value(h.b)) as v
             from unnest($1::integer[], $2::integer[]) as h (b, n), generate_series(1, h.n)
         ) x`,
      [buckets, counts, ps],
    );
    const want = rows[0].v as number[];
    ps.forEach((_, k) => expect(got[k]! / want[k]).toBeCloseTo(1, 12));
  });
});
