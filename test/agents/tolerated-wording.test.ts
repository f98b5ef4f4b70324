import { describe, expect, it } from 'vitest';
import { escalated } from '../../src/messages/agents.js';
import { cacheHit } from '../../src/messages/run.js';
import { makeRecord } from '../store/helpers.js';

const TREE = 'a'.repeat(40);
const tolerated = { guard: 'typescript', status: 'fail' as const, exit: 2, ms: 1, feedback: '', failures: ['src/a.ts TS2322 x'], tolerated: true };

describe('what the person is told names only what blocked', () => {
  it('an escalation lists the guards that blocked, not those failing as on the base', () => {
    const record = makeRecord(TREE, { status: 'REJECTED', escalated: true, verdicts: [tolerated, { guard: 'vitest', status: 'fail', exit: 1, ms: 1, feedback: '', failures: ['t'] }] });
    expect(escalated('claude', record, 5)).toContain('the guards still fail (vitest)');
  });

  it("a cached acceptance of a tree whose guards fail as on the base doesn't say they passed", () => {
    const text = cacheHit(makeRecord(TREE, { source: 'GENERATOR', verdicts: [tolerated] }));
    expect(text).not.toContain('passed');
    expect(text).toContain('typescript still fails as on the base');
  });
});
