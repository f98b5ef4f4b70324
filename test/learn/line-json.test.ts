import { describe, expect, it } from 'vitest';
import { lineJson } from '../../src/learn/formats/line-json.js';

describe('an exported line as JSON', () => {
  it('writes reward_dense with a decimal point, so a JSON loader types the column float from the first row', () => {
    const line = { completion: [{ role: 'assistant', content: 'x "reward_dense":1, y' }], metadata: { reward: 1, reward_dense: 1, task: '' } };
    const text = lineJson(line);
    expect(text).toContain('"reward_dense":1.0,');
    // The same text inside a string is escaped and stays as it was.
    expect(text).toContain('x \\"reward_dense\\":1, y');
    expect(JSON.parse(text)).toEqual(line);
    expect(lineJson({ metadata: { reward_dense: 0 } })).toBe('{"metadata":{"reward_dense":0.0}}');
    expect(lineJson({ metadata: { reward_dense: 0.5 } })).toBe('{"metadata":{"reward_dense":0.5}}');
    expect(lineJson({ metadata: { reward_dense: 2 / 3 } })).toBe(`{"metadata":{"reward_dense":${2 / 3}}}`);
    // A raw record has no reward_dense: written as JSON.stringify writes it.
    expect(lineJson({ id: 'r', reward: -1 })).toBe('{"id":"r","reward":-1}');
  });
});
