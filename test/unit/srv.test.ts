import { describe, expect, it } from 'vitest';
import { isServiceDecidedlyUnavailable, orderSrvTargets } from '../../electron/engine/net/srv.ts';
import type { SrvRecord } from '../../electron/engine/net/srv.ts';
import { prng as seeded } from '../support/prng.ts';

const rec = (name: string, priority: number, weight: number, port = 443): SrvRecord => ({ name, port, priority, weight });

function firstPickFrequencies(records: SrvRecord[], draws: number, seed: number): Map<string, number> {
  const random = seeded(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const first = orderSrvTargets(records, random)[0]!.name;
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, v]) => [k, v / draws]));
}

describe('orderSrvTargets', () => {
  it('orders by ascending priority regardless of weight or input order', () => {
    const records = [rec('c', 30, 100), rec('a', 10, 0), rec('b', 20, 5), rec('a2', 10, 7)];
    for (let seed = 1; seed <= 50; seed++) {
      const order = orderSrvTargets(records, seeded(seed)).map((r) => r.priority);
      expect(order).toEqual([10, 10, 20, 30]);
    }
  });

  it('picks by running sum: r = 0 selects the first (zero-weight) entry, r = sum the last', () => {
    const records = [rec('heavy', 0, 100), rec('zero', 0, 0)];
    expect(orderSrvTargets(records, () => 0).map((r) => r.name)).toEqual(['zero', 'heavy']);
    expect(orderSrvTargets(records, () => 0.999999).map((r) => r.name)).toEqual(['heavy', 'zero']);
  });

  it('first-pick frequencies follow the weights 10/30/60', () => {
    const records = [rec('w10', 0, 10), rec('w30', 0, 30), rec('w60', 0, 60)];
    const f = firstPickFrequencies(records, 20_000, 42);
    // r is uniform over the 101 integers 0..100; running sums 10, 40, 100 give these exact odds
    // (the first entry gets the extra r = 0 slot).
    expect(Math.abs(f.get('w10')! - 11 / 101)).toBeLessThan(0.01);
    expect(Math.abs(f.get('w30')! - 30 / 101)).toBeLessThan(0.01);
    expect(Math.abs(f.get('w60')! - 60 / 101)).toBeLessThan(0.01);
    expect(Math.abs(f.get('w10')! - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(f.get('w30')! - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(f.get('w60')! - 0.6)).toBeLessThan(0.02);
  });

  it('a weight-0 record beside weight 100 comes first rarely but not never (exactly 1/101)', () => {
    const records = [rec('hundred', 0, 100), rec('zero', 0, 0)];
    const f = firstPickFrequencies(records, 20_000, 7);
    const zero = f.get('zero') ?? 0;
    expect(zero).toBeGreaterThan(0);
    expect(zero).toBeLessThan(0.01 + 0.002);
    expect(Math.abs(zero - 1 / 101)).toBeLessThan(0.0025);
  });

  it('with all weights zero every record still appears, deterministically for a given random', () => {
    const records = [rec('a', 5, 0), rec('b', 5, 0), rec('c', 5, 0)];
    const once = orderSrvTargets(records, seeded(3)).map((r) => r.name);
    expect([...once].sort()).toEqual(['a', 'b', 'c']);
    expect(orderSrvTargets(records, seeded(3)).map((r) => r.name)).toEqual(once);
  });

  it('keeps every record exactly once', () => {
    const records = [rec('a', 1, 3), rec('b', 1, 0), rec('c', 2, 9), rec('d', 1, 50), rec('e', 2, 0)];
    const random = seeded(11);
    for (let i = 0; i < 200; i++) {
      expect(
        orderSrvTargets(records, random)
          .map((r) => r.name)
          .sort(),
      ).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
  });

  it('drops "." targets (node reports them as "")', () => {
    const records = [rec('', 0, 0), rec('.', 1, 0), rec('real', 2, 1)];
    expect(orderSrvTargets(records, seeded(1)).map((r) => r.name)).toEqual(['real']);
    expect(orderSrvTargets([rec('', 0, 0)])).toEqual([]);
  });

  it('does not mutate its input', () => {
    const records = [rec('z', 9, 0), rec('y', 1, 10), rec('x', 1, 20), rec('', 0, 0)];
    const snapshot = structuredClone(records);
    orderSrvTargets(records, seeded(5));
    expect(records).toEqual(snapshot);
  });
});

describe('isServiceDecidedlyUnavailable', () => {
  it('is true only for exactly one "." record', () => {
    expect(isServiceDecidedlyUnavailable([rec('', 0, 0, 0)])).toBe(true);
    expect(isServiceDecidedlyUnavailable([rec('.', 0, 0, 0)])).toBe(true);
    expect(isServiceDecidedlyUnavailable([])).toBe(false);
    expect(isServiceDecidedlyUnavailable([rec('dav.example.com', 0, 0)])).toBe(false);
    expect(isServiceDecidedlyUnavailable([rec('', 0, 0), rec('dav.example.com', 1, 0)])).toBe(false);
  });
});
