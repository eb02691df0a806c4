// Validation of a policy document as it is typed: JSON syntax is checked at once in the
// browser (with the line and column of the mistake); a document that parses is sent to the
// server's validator (the engine's own policy parser) once typing pauses. Only the answer for
// the latest text counts: an older answer arriving late is dropped.
import { findJsonError } from './jsonScan';

export type ValidationState = 'empty' | 'checking' | 'valid' | 'invalid';

export interface Validation {
  state: ValidationState;
  message: string;
}

export type RemoteCheck = (text: string) => Promise<{ valid: boolean; message: string }>;

// Line and column (1-based) of a character offset in `text`.
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

// null when `text` is a JSON object; else a message naming the mistake and where it is.
export function jsonSyntaxError(text: string): string | null {
  const error = findJsonError(text);
  if (error) {
    const { line, column } = lineColumn(text, error.offset);
    return `Invalid JSON at line ${line}, column ${column}: ${error.message}`;
  }
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'A policy is a JSON object: { "Version": ..., "Statement": [...] }';
  }
  return null;
}

// Debounces the remote check and drops stale answers. `onResult` gets every state change.
export class PolicyValidator {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly remote: RemoteCheck,
    private readonly onResult: (v: Validation) => void,
    private readonly delayMs = 400,
  ) {}

  update(text: string): void {
    const seq = ++this.seq;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (text.trim() === '') {
      this.onResult({ state: 'empty', message: 'Enter a policy document.' });
      return;
    }
    const syntax = jsonSyntaxError(text);
    if (syntax !== null) {
      this.onResult({ state: 'invalid', message: syntax });
      return;
    }
    this.onResult({ state: 'checking', message: '' });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.remote(text).then(
        (r) => {
          if (seq === this.seq) this.onResult({ state: r.valid ? 'valid' : 'invalid', message: r.valid ? '' : r.message });
        },
        (e: unknown) => {
          if (seq === this.seq) {
            this.onResult({ state: 'invalid', message: `Cannot validate: ${e instanceof Error ? e.message : String(e)}` });
          }
        },
      );
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.seq++;
  }
}

// A starting document: read-only access to one bucket (identity), or public read of a bucket's
// objects (bucket policy).
export function policyTemplate(kind: 'identity' | 'bucket', bucket = 'my-bucket'): string {
  const doc =
    kind === 'identity'
      ? {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadOnly',
              Effect: 'Allow',
              Action: ['s3:ListBucket', 's3:GetObject'],
              Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            },
          ],
        }
      : {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'PublicRead',
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${bucket}/*`,
            },
          ],
        };
  return JSON.stringify(doc, null, 2);
}

// The document pretty-printed with 2 spaces, or unchanged when it does not parse.
export function formatPolicy(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
