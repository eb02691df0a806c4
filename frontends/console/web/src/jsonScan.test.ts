import { describe, expect, it } from 'vitest';

import { findJsonError } from './jsonScan';

describe('findJsonError', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const ok of ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9"]}', ' {"a" : {"b":[]}} ', '0', '"s"']) {
      expect(findJsonError(ok)).toBeNull();
      expect(() => JSON.parse(ok)).not.toThrow();
    }
  });
  it('finds each kind of mistake where it is', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a":1,}', 7, /trailing ','/],
      ['{"a" 1}', 5, /expected ':'/],
      ['{a:1}', 1, /double quotes/],
      ['{"a":1 "b":2}', 7, /expected ',' or '}'/],
      ['[1 2]', 3, /expected ',' or ']'/],
      ['{"a":"x', 7, /closing quote/],
      ['{"a":tru}', 5, /unexpected/],
      ['{"a":"\\q"}', 7, /bad escape/],
      ['{"a":1}}', 7, /after the document/],
      ['', 0, /value is missing/],
      ['{"a":01}', 6, /expected ',' or '}'/],
    ];
    for (const [text, offset, message] of cases) {
      const e = findJsonError(text);
      expect(e, text).not.toBeNull();
      expect(e!.offset, text).toBe(offset);
      expect(e!.message, text).toMatch(message);
      expect(() => JSON.parse(text), text).toThrow();
    }
  });
});
