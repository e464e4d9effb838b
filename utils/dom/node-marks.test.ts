import { describe, expect, it } from 'vitest';
import { NodeMarks, NodeValues } from './node-marks';

describe('NodeMarks', () => {
  it('marks nodes per set: a new set starts empty, an old set keeps its marks', () => {
    const a = { nodeType: 1 } as unknown as Node;
    const b = { nodeType: 3 } as unknown as Node;
    const first = new NodeMarks();
    first.add(a);
    expect(first.has(a)).toBe(true);
    expect(first.has(b)).toBe(false);
    const second = new NodeMarks();
    expect(second.has(a)).toBe(false);
    second.add(b);
    expect(first.has(b)).toBe(false);
    expect(first.has(a)).toBe(true);
  });

  it('forgets a deleted node, and deleting an unmarked node leaves it unmarked', () => {
    const node = {} as Node;
    const marks = new NodeMarks();
    marks.delete(node);
    expect(marks.has(node)).toBe(false);
    marks.add(node);
    marks.delete(node);
    expect(marks.has(node)).toBe(false);
    marks.add(node);
    expect(marks.has(node)).toBe(true);
  });

  it('leaves nothing a page could enumerate by name', () => {
    const node = {} as Node;
    new NodeMarks().add(node);
    expect(Object.keys(node)).toEqual([]);
    expect(JSON.stringify(node)).toBe('{}');
  });

  it('NodeValues keeps a value per node and per instance; a missing node has none', () => {
    const node = {} as Node;
    const values = new NodeValues<number>();
    expect(values.get(node)).toBeUndefined();
    values.set(node, 0);
    expect(values.get(node)).toBe(0);
    expect(new NodeValues<number>().get(node)).toBeUndefined();
    expect(values.get(null)).toBeUndefined();
    expect(new NodeMarks().has(null)).toBe(false);
  });
});
