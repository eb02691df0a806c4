import { describe, expect, it } from 'vitest';
import { baseName, formatBytes, formatDuration, prefixParts, sortRows, type Row } from './format';

describe('format', () => {
  it('formats bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatBytes(undefined)).toBe('—');
  });
  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(65)).toBe('1m 5s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h 2m');
    expect(formatDuration(2 * 86400 + 3600)).toBe('2d 1h');
  });
  it('splits prefixes into breadcrumbs', () => {
    expect(prefixParts('')).toEqual([]);
    expect(prefixParts('a/b/')).toEqual([
      ['a', 'a/'],
      ['b', 'a/b/'],
    ]);
    expect(baseName('a/b/c.txt')).toBe('c.txt');
    expect(baseName('a/b/')).toBe('b/');
  });
  it('sorts folders first then by column', () => {
    const rows: Row[] = [
      { kind: 'object', key: 'b', size: 1, lastModified: '2024-01-02' },
      { kind: 'object', key: 'a', size: 5, lastModified: '2024-01-01' },
      { kind: 'folder', key: 'z/', size: 0, lastModified: '' },
    ];
    expect(sortRows(rows, 'name', false).map((r) => r.key)).toEqual(['z/', 'a', 'b']);
    expect(sortRows(rows, 'size', true).map((r) => r.key)).toEqual(['z/', 'a', 'b']);
    expect(sortRows(rows, 'date', false).map((r) => r.key)).toEqual(['z/', 'a', 'b']);
    expect(sortRows(rows, 'date', true).map((r) => r.key)).toEqual(['z/', 'b', 'a']);
  });
});
