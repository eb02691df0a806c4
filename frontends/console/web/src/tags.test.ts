import { describe, expect, it } from 'vitest';

import { MAX_BUCKET_TAGS, MAX_OBJECT_TAGS, tagsProblem } from './tags';

describe('tag sets', () => {
  it('accepts what S3 accepts', () => {
    expect(tagsProblem([], MAX_OBJECT_TAGS)).toBeNull();
    expect(tagsProblem([{ key: 'team', value: '' }, { key: 'é'.repeat(128), value: '€'.repeat(256) }], MAX_OBJECT_TAGS)).toBeNull();
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(tagsProblem(fifty, MAX_BUCKET_TAGS)).toBeNull();
  });
  it('names what S3 refuses', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: '' }));
    expect(tagsProblem(eleven, MAX_OBJECT_TAGS)).toBe('At most 10 tags.');
    expect(tagsProblem([{ key: '', value: 'x' }], 10)).toBe('Tag 1: the key is empty.');
    expect(tagsProblem([{ key: 'a'.repeat(129), value: '' }], 10)).toMatch(/longer than 128/);
    expect(tagsProblem([{ key: 'a', value: 'b'.repeat(257) }], 10)).toMatch(/longer than 256/);
    expect(tagsProblem([{ key: 'AWS:x', value: '' }], 10)).toMatch(/reserved/);
    expect(tagsProblem([{ key: 'a', value: '1' }, { key: 'a', value: '2' }], 10)).toBe('Tag 2: the key "a" is used twice.');
  });
});
