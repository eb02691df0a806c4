// The CORS rule editor's model: a rule as the form edits it (lists as one item per line) to and
// from the API's shape, and the same checks the server makes, so a mistake shows next to the
// rule before Save. The server stays the authority: its message is shown when it refuses.

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
export type CorsMethod = (typeof CORS_METHODS)[number];

// The API's shape (GET/PUT /buckets/{b}/cors).
export interface CorsRule {
  id?: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number | null;
}
export interface CorsRules {
  configured?: boolean;
  rules: CorsRule[];
}

// The form's shape.
export interface CorsRuleForm {
  id: string;
  methods: CorsMethod[];
  origins: string; // one per line
  allowedHeaders: string;
  exposeHeaders: string;
  maxAge: number | string; // '' = none
}

export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function toForm(rule: CorsRule): CorsRuleForm {
  return {
    id: rule.id ?? '',
    methods: CORS_METHODS.filter((m) => rule.allowedMethods.includes(m)),
    origins: rule.allowedOrigins.join('\n'),
    allowedHeaders: (rule.allowedHeaders ?? []).join('\n'),
    exposeHeaders: (rule.exposeHeaders ?? []).join('\n'),
    maxAge: rule.maxAgeSeconds ?? '',
  };
}

export function fromForm(form: CorsRuleForm): CorsRule {
  const rule: CorsRule = {
    allowedMethods: [...form.methods],
    allowedOrigins: lines(form.origins),
    allowedHeaders: lines(form.allowedHeaders),
    exposeHeaders: lines(form.exposeHeaders),
    maxAgeSeconds: form.maxAge === '' ? null : Number(form.maxAge),
  };
  if (form.id.trim() !== '') rule.id = form.id.trim();
  return rule;
}

// A rule that lets a web app on `origin` read and upload: the common starting point.
export function templateRule(origin = 'https://app.example.com'): CorsRuleForm {
  return {
    id: '',
    methods: ['GET', 'PUT', 'POST', 'HEAD'],
    origins: origin,
    allowedHeaders: '*',
    exposeHeaders: 'ETag\nx-amz-version-id',
    maxAge: 3000,
  };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function stars(s: string): number {
  return s.split('*').length - 1;
}

// The first problem of one rule, or null.
export function ruleProblem(form: CorsRuleForm): string | null {
  const rule = fromForm(form);
  if ((rule.id ?? '').length > 255) return 'The ID is longer than 255 characters.';
  if (rule.allowedMethods.length === 0) return 'Choose at least one method.';
  if (rule.allowedOrigins.length === 0) return 'Give at least one origin, such as https://app.example.com or *.';
  for (const o of rule.allowedOrigins) {
    if (stars(o) > 1) return `Origin "${o}" has more than one *.`;
    if (/[\s,]/.test(o)) return `Origin "${o}" has a space or a comma: give one origin per line.`;
  }
  for (const h of rule.allowedHeaders ?? []) {
    if (stars(h) > 1) return `Allowed header "${h}" has more than one *.`;
    if (!TOKEN.test(h)) return `Allowed header "${h}" is not a header name.`;
  }
  for (const h of rule.exposeHeaders ?? []) {
    if (h.includes('*')) return `Exposed header "${h}": a wildcard is not allowed here.`;
    if (!TOKEN.test(h)) return `Exposed header "${h}" is not a header name.`;
  }
  const age = rule.maxAgeSeconds;
  if (age !== null && age !== undefined && (!Number.isInteger(age) || age < 0 || age > 2147483647)) {
    return 'Max age must be a whole number of seconds.';
  }
  return null;
}

// Problems of every rule (index -> message), and the limit on the number of rules.
export function rulesProblems(forms: CorsRuleForm[]): { perRule: (string | null)[]; overall: string | null } {
  return {
    perRule: forms.map(ruleProblem),
    overall: forms.length > 100 ? 'At most 100 rules.' : forms.length === 0 ? 'Add a rule, or delete the configuration.' : null,
  };
}
