// Finds the first syntax error of a JSON text and where it is, so the policy editor can say
// "line 3, column 18: expected ',' or ']'" whatever the browser's JSON.parse message says.
// A strict RFC 8259 scanner: no comments, no trailing commas, no single quotes.

export interface JsonError {
  offset: number;
  message: string;
}

export function findJsonError(text: string): JsonError | null {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } as JsonError;
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const describe = () => (i >= text.length ? 'the end of the text' : `'${text[i]}'`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}`);
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail('bad \\u escape in a string');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          i++;
          fail('bad escape in a string');
        }
        continue;
      }
      if (c < ' ') fail(c === '\n' ? 'a string ends without its closing quote' : 'a control character in a string');
      i++;
    }
    fail('a string ends without its closing quote');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0] === '') fail(`unexpected ${describe()}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail(i >= text.length ? 'unexpected end of the text: a value is missing' : `unexpected ${describe()}: expected a value`);
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`expected a member name in double quotes, found ${describe()}`);
      string();
      ws();
      if (text[i] !== ':') fail(`expected ':' after the member name, found ${describe()}`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        if (text[i] === '}') fail("a trailing ',' before '}'");
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`expected ',' or '}', found ${describe()}`);
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        if (text[i] === ']') fail("a trailing ',' before ']'");
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`expected ',' or ']', found ${describe()}`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the document`);
    return null;
  } catch (e) {
    return e as JsonError;
  }
}
