import { describe, expect, it } from 'vitest';

import { fromForm, lines, ruleProblem, rulesProblems, templateRule, toForm, type CorsRule } from './corsRules';

describe('CORS rule form', () => {
  it('round-trips the API shape', () => {
    const rule: CorsRule = {
      id: 'web',
      allowedMethods: ['PUT', 'GET'],
      allowedOrigins: ['https://a.example', 'http://localhost:*'],
      allowedHeaders: ['*'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 600,
    };
    const form = toForm(rule);
    expect(form.methods).toEqual(['GET', 'PUT']); // in the editor's order
    expect(form.origins).toBe('https://a.example\nhttp://localhost:*');
    expect(fromForm(form)).toEqual({ ...rule, allowedMethods: ['GET', 'PUT'] });
    expect(fromForm({ ...form, id: '  ', maxAge: '' })).toEqual({
      allowedMethods: ['GET', 'PUT'],
      allowedOrigins: ['https://a.example', 'http://localhost:*'],
      allowedHeaders: ['*'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: null,
    });
  });
  it('reads one item per line', () => {
    expect(lines(' a \n\n b\r\n')).toEqual(['a', 'b']);
  });
  it('finds what the server would refuse', () => {
    const ok = templateRule('https://app.example');
    expect(ruleProblem(ok)).toBeNull();
    expect(ruleProblem({ ...ok, methods: [] })).toMatch(/method/);
    expect(ruleProblem({ ...ok, origins: '' })).toMatch(/origin/);
    expect(ruleProblem({ ...ok, origins: 'https://*.*.example' })).toMatch(/more than one/);
    expect(ruleProblem({ ...ok, origins: 'https://a.example, https://b.example' })).toMatch(/one origin per line/);
    expect(ruleProblem({ ...ok, allowedHeaders: 'x-*-*' })).toMatch(/more than one/);
    expect(ruleProblem({ ...ok, allowedHeaders: 'bad header' })).toMatch(/not a header name/);
    expect(ruleProblem({ ...ok, exposeHeaders: '*' })).toMatch(/wildcard/);
    expect(ruleProblem({ ...ok, maxAge: -1 })).toMatch(/Max age/);
    expect(ruleProblem({ ...ok, maxAge: 1.5 })).toMatch(/Max age/);
    expect(ruleProblem({ ...ok, id: 'x'.repeat(256) })).toMatch(/255/);
    expect(rulesProblems([]).overall).toMatch(/Add a rule/);
    expect(rulesProblems(Array.from({ length: 101 }, () => ok)).overall).toMatch(/100/);
    expect(rulesProblems([ok, { ...ok, methods: [] }]).perRule).toEqual([null, 'Choose at least one method.']);
  });
});
