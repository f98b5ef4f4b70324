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
});
