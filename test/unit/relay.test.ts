import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/common/relay.ts';
import { focusListConnection } from '../../src/modules/collections/connection.ts';
import { offsetConnection } from '../../src/modules/tbank/connection.ts';

/** A vendor list of `total` items served in pages of 1000, recording which pages were read. */
function focusList(total: number) {
  const read: number[] = [];
  const fetchPage = async (skip: number) => {
    read.push(skip);
    return Array.from({ length: Math.max(0, Math.min(1000, total - skip)) }, (_, i) => skip + i);
  };
  return { read, fetchPage };
}

describe('Relay paging over vendor pages', () => {
  it('Kontur.Focus pages of 1000: a window across a page boundary reads exactly the two pages it spans', async () => {
    const list = focusList(2500);
    const connection = await focusListConnection('fssp', { first: 5, after: encodeCursor('fssp', 997) }, list.fetchPage);
    expect(connection.edges.map((edge) => edge.node)).toEqual([998, 999, 1000, 1001, 1002]);
    expect(list.read).toEqual([0, 1000]);
    expect(connection.totalCount).toBeNull();
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: encodeCursor('fssp', 998),
      endCursor: encodeCursor('fssp', 1002),
    });
  });

  it('the last, short page makes the total known', async () => {
    const list = focusList(2500);
    const connection = await focusListConnection('fssp', { first: 10, after: encodeCursor('fssp', 2494) }, list.fetchPage);
    expect([connection.edges.map((edge) => edge.node), connection.totalCount, connection.pageInfo.hasNextPage, list.read]).toEqual([
      [2495, 2496, 2497, 2498, 2499],
      2500,
      false,
      [2000],
    ]);
  });

  it('first: 0 reads nothing; a forged cursor or a window out of range is refused before any page', async () => {
    const list = focusList(10);
    expect((await focusListConnection('fssp', { first: 0 }, list.fetchPage)).edges).toEqual([]);
    await expect(focusListConnection('fssp', { first: 5, after: encodeCursor('purchases', 1) }, list.fetchPage)).rejects.toThrow(
      `Invalid cursor "${encodeCursor('purchases', 1)}" for fssp`,
    );
    await expect(focusListConnection('fssp', { first: 1001 }, list.fetchPage)).rejects.toThrow('"first" must be between 0 and 1000');
    expect(list.read).toEqual([]);
  });

  it('T-Bank offsets with a known total: aligned pages of 100, null page = nobody known', async () => {
    const read: number[] = [];
    const page = async (offset: number) => {
      read.push(offset);
      return { total: 164, items: Array.from({ length: Math.min(100, 164 - offset) }, (_, i) => offset + i) };
    };
    const connection = await offsetConnection('stateContracts', { first: 20, after: encodeCursor('stateContracts', 89) }, 100, page);
    expect([connection.edges.map((edge) => edge.node).at(0), connection.edges.length, connection.totalCount, read]).toEqual([
      90,
      20,
      164,
      [0, 100],
    ]);
    expect((await offsetConnection('stateContracts', {}, 100, async () => null)).totalCount).toBe(0);
  });
});
