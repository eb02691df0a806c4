import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatPolicy, jsonSyntaxError, lineColumn, PolicyValidator, policyTemplate, type Validation } from './policyValidation';

describe('jsonSyntaxError', () => {
  it('accepts a JSON object', () => {
    expect(jsonSyntaxError('{"Version":"2012-10-17"}')).toBeNull();
  });
  it('names the line of a syntax error', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [ }\n}';
    const msg = jsonSyntaxError(text);
    expect(msg).toBe("Invalid JSON at line 3, column 18: unexpected '}': expected a value");
  });
  it('refuses JSON that is not an object', () => {
    expect(jsonSyntaxError('[1,2]')).toMatch(/JSON object/);
    expect(jsonSyntaxError('"x"')).toMatch(/JSON object/);
    expect(jsonSyntaxError('null')).toMatch(/JSON object/);
  });
  it('computes line and column', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab', 99)).toEqual({ line: 1, column: 3 });
  });
});

describe('PolicyValidator', () => {
  let results: Validation[];
  beforeEach(() => {
    vi.useFakeTimers();
    results = [];
  });
  afterEach(() => vi.useRealTimers());

  it('reports syntax errors at once without asking the server', () => {
    const remote = vi.fn();
    const v = new PolicyValidator(remote, (r) => results.push(r), 300);
    v.update('{ nope');
    expect(results).toHaveLength(1);
    expect(results[0].state).toBe('invalid');
    vi.advanceTimersByTime(1000);
    expect(remote).not.toHaveBeenCalled();
  });

  it('debounces: only the last text typed is sent', async () => {
    const remote = vi.fn(async () => ({ valid: true, message: '' }));
    const v = new PolicyValidator(remote, (r) => results.push(r), 300);
    v.update('{"a":1}');
    vi.advanceTimersByTime(100);
    v.update('{"a":12}');
    vi.advanceTimersByTime(100);
    v.update('{"a":123}');
    expect(remote).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300);
    expect(remote).toHaveBeenCalledTimes(1);
    expect(remote).toHaveBeenCalledWith('{"a":123}');
    expect(results[results.length - 1]).toEqual({ state: 'valid', message: '' });
  });

  it('shows the server message for an invalid policy', async () => {
    const v = new PolicyValidator(async () => ({ valid: false, message: 'Statement 1: missing Effect' }), (r) => results.push(r), 10);
    v.update('{"Statement":[{}]}');
    expect(results[0].state).toBe('checking');
    await vi.advanceTimersByTimeAsync(10);
    expect(results[results.length - 1]).toEqual({ state: 'invalid', message: 'Statement 1: missing Effect' });
  });

  it('drops a stale answer that arrives after newer typing', async () => {
    let resolveFirst: (r: { valid: boolean; message: string }) => void = () => {};
    const remote = vi
      .fn()
      .mockImplementationOnce(() => new Promise((r) => (resolveFirst = r)))
      .mockImplementationOnce(async () => ({ valid: true, message: '' }));
    const v = new PolicyValidator(remote, (r) => results.push(r), 10);
    v.update('{"a":1}');
    await vi.advanceTimersByTimeAsync(10); // first request in flight
    v.update('{"a":2}');
    await vi.advanceTimersByTimeAsync(10); // second answered: valid
    resolveFirst({ valid: false, message: 'old' });
    await vi.advanceTimersByTimeAsync(0);
    expect(results[results.length - 1]).toEqual({ state: 'valid', message: '' });
    expect(results.some((r) => r.message === 'old')).toBe(false);
  });

  it('says when the document is empty and reports a failing server', async () => {
    const v = new PolicyValidator(async () => Promise.reject(new Error('offline')), (r) => results.push(r), 10);
    v.update('   ');
    expect(results[0].state).toBe('empty');
    v.update('{}');
    await vi.advanceTimersByTimeAsync(10);
    expect(results[results.length - 1].message).toMatch(/offline/);
  });

  it('stops reporting after dispose', async () => {
    const remote = vi.fn(async () => ({ valid: true, message: '' }));
    const v = new PolicyValidator(remote, (r) => results.push(r), 10);
    v.update('{}');
    v.dispose();
    await vi.advanceTimersByTimeAsync(50);
    expect(remote).not.toHaveBeenCalled();
  });
});

describe('templates', () => {
  it('makes valid JSON for both kinds', () => {
    const identity = JSON.parse(policyTemplate('identity', 'b1'));
    expect(identity.Statement[0].Resource).toContain('arn:aws:s3:::b1/*');
    expect(identity.Statement[0].Principal).toBeUndefined();
    const bucket = JSON.parse(policyTemplate('bucket', 'b1'));
    expect(bucket.Statement[0].Principal).toBe('*');
  });
  it('formats parseable documents only', () => {
    expect(formatPolicy('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatPolicy('{bad')).toBe('{bad');
  });
});
