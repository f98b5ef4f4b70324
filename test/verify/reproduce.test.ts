import { describe, expect, it } from 'vitest';
import { compareWithRecords } from '../../src/engine/reproduce.js';
import type { RecordV1 } from '../../src/store/record.js';

const rec = (id: string, status: RecordV1['status']) => ({ id, status }) as RecordV1;

describe('how a verify compares with the earlier records of its tree', () => {
  it('is new with no earlier ACCEPTED or REJECTED record (a SKIPPED one says nothing about the content)', () => {
    expect(compareWithRecords([], 'ACCEPTED')).toEqual({ outcome: 'new', against: [], previous: null, accepted: null, acceptedAll: [] });
    expect(compareWithRecords([rec('s', 'SKIPPED')], 'REJECTED')).toEqual({ outcome: 'new', against: [], previous: null, accepted: null, acceptedAll: [] });
  });

  it('is verified when it agrees with the latest verdict, or passes where the tree was rejected before', () => {
    expect(compareWithRecords([rec('a', 'ACCEPTED')], 'ACCEPTED')).toMatchObject({ outcome: 'verified', against: ['a'], previous: 'ACCEPTED' });
    expect(compareWithRecords([rec('r', 'REJECTED')], 'REJECTED')).toMatchObject({ outcome: 'verified', previous: 'REJECTED' });
    expect(compareWithRecords([rec('r', 'REJECTED'), rec('s', 'SKIPPED')], 'ACCEPTED')).toMatchObject({ outcome: 'verified', against: ['r'], previous: 'REJECTED', accepted: null });
  });

  it('is not reproducible when any earlier ACCEPTED fails now, even after a later REJECTED', () => {
    expect(compareWithRecords([rec('a', 'ACCEPTED')], 'REJECTED')).toEqual({ outcome: 'not-reproducible', against: ['a'], previous: 'ACCEPTED', accepted: 'a', acceptedAll: ['a'] });
    expect(compareWithRecords([rec('a', 'ACCEPTED'), rec('r', 'REJECTED')], 'REJECTED')).toMatchObject({ outcome: 'not-reproducible', against: ['a', 'r'], accepted: 'a', acceptedAll: ['a'] });
  });

  it("leaves out an agent's ACCEPTED judged against its turn's base (a failure the base had): it says nothing of the tree alone", () => {
    const relative = { id: 't', status: 'ACCEPTED', verdicts: [{ guard: 'tests', status: 'fail', tolerated: true, baseline: { tree: 'b', status: 'fail', failures: ['x'] } }] } as unknown as RecordV1;
    expect(compareWithRecords([relative], 'REJECTED')).toEqual({ outcome: 'new', against: [], previous: null, accepted: null, acceptedAll: [] });
    // A rejection with base information is still a rejection.
    const rejected = { id: 'r', status: 'REJECTED', verdicts: [{ guard: 'tests', status: 'fail', baseline: { tree: 'b', status: 'pass' } }] } as unknown as RecordV1;
    expect(compareWithRecords([rejected], 'REJECTED')).toMatchObject({ outcome: 'verified', against: ['r'] });
  });
});
