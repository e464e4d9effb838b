import { describe, expect, it } from 'vitest';
import { diffHunks, diffLines, diffStats } from './line-diff';
import { canonicalPretty } from './canonical-pretty';
import { getIn, setIn } from './path';

const render = (oldText: string, newText: string) =>
  diffLines(oldText, newText).map((line) => ({ same: ' ', add: '+', del: '-' })[line.op] + line.text);

describe('diffLines', () => {
  it.each([
    ['', '', []],
    ['a', 'a', [' a']],
    ['', 'a\nb', ['+a', '+b']],
    ['a\nb', '', ['-a', '-b']],
    ['a\nb\nc', 'a\nx\nc', [' a', '-b', '+x', ' c']],
    ['a\nb\nc\nd', 'a\nc\nd\ne', [' a', '-b', ' c', ' d', '+e']],
    ['x\na\nb', 'a\nb\ny', ['-x', ' a', ' b', '+y']],
  ])('%j → %j', (oldText, newText, expected) => {
    expect(render(oldText, newText)).toEqual(expected);
  });

  it('keeps every line of both sides, in order, with line numbers', () => {
    const oldText = 'one\ntwo\nthree\nfour\nfive';
    const newText = 'zero\none\nthree\nfour!\nfive\nsix';
    const lines = diffLines(oldText, newText);
    expect(lines.filter((l) => l.op !== 'add').map((l) => l.text)).toEqual(oldText.split('\n'));
    expect(lines.filter((l) => l.op !== 'del').map((l) => l.text)).toEqual(newText.split('\n'));
    expect(lines.filter((l) => l.op !== 'add').map((l) => l.oldLine)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.filter((l) => l.op !== 'del').map((l) => l.newLine)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(diffStats(lines)).toEqual({ added: 3, removed: 2 });
  });

  it('finds a minimal diff (LCS) on a longer input', () => {
    const a = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    const b = a.filter((_, i) => i % 50 !== 7);
    b.splice(100, 0, 'inserted');
    expect(diffStats(diffLines(a.join('\n'), b.join('\n')))).toEqual({ added: 1, removed: 6 });
  });
});

describe('diffHunks', () => {
  it('keeps context around changes and counts skipped lines', () => {
    const a = Array.from({ length: 20 }, (_, i) => String(i));
    const b = [...a];
    b[10] = 'ten';
    const hunks = diffHunks(diffLines(a.join('\n'), b.join('\n')), 2);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]!.skippedBefore).toBe(8);
    expect(hunks[0]!.lines.map((l) => l.text)).toEqual(['8', '9', '10', 'ten', '11', '12']);
  });
  it('is empty when nothing changed', () => {
    expect(diffHunks(diffLines('a\nb', 'a\nb'))).toEqual([]);
  });
});

describe('canonicalPretty', () => {
  it('sorts keys at every depth so equal values print alike', () => {
    expect(canonicalPretty({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(canonicalPretty({ a: { d: [{ y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalPretty({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}');
  });
});

describe('getIn / setIn', () => {
  it('reads missing paths as undefined and writes without mutating', () => {
    const draft = { rules: [{ id: 'a', channels: ['copy'] }] };
    expect(getIn(draft, ['rules', 0, 'channels', 0])).toBe('copy');
    expect(getIn(draft, ['nope', 3, 'x'])).toBeUndefined();
    const next = setIn(draft, ['rules', 0, 'id'], 'b');
    expect(next.rules[0]!.id).toBe('b');
    expect(draft.rules[0]!.id).toBe('a');
    expect(setIn({}, ['bulk', 'threshold'], 5)).toEqual({ bulk: { threshold: 5 } });
  });
});
