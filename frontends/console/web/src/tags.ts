// Tag sets of buckets and objects, as the console API carries them ({tags: [{key, value}]}),
// and the checks S3 (and so the engine) applies, run in the editor before a save.
export interface Tag {
  key: string;
  value: string;
}

export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;

// Length in Unicode characters (code points), as S3 counts them.
function chars(s: string): number {
  return Array.from(s).length;
}

// The first reason the server would refuse `tags` (null: none).
export function tagsProblem(tags: Tag[], max: number): string | null {
  if (tags.length > max) return `At most ${max} tags.`;
  const seen = new Set<string>();
  for (const [i, t] of tags.entries()) {
    const n = i + 1;
    if (t.key === '') return `Tag ${n}: the key is empty.`;
    if (chars(t.key) > 128) return `Tag ${n}: the key is longer than 128 characters.`;
    if (chars(t.value) > 256) return `Tag ${n}: the value is longer than 256 characters.`;
    if (t.key.toLowerCase().startsWith('aws:')) return `Tag ${n}: keys starting with "aws:" are reserved.`;
    if (seen.has(t.key)) return `Tag ${n}: the key "${t.key}" is used twice.`;
    seen.add(t.key);
  }
  return null;
}
