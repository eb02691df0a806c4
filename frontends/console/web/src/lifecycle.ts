// Lifecycle rules in the shape boto3 and the aws cli use (what the console API takes), their
// S3 XML document (what PutBucketLifecycleConfiguration takes: the editor shows it), and the
// one-line summaries of the rules table.

export interface LifecycleTag {
  Key: string;
  Value: string;
}
export interface LifecycleFilterAnd {
  Prefix?: string;
  Tags?: LifecycleTag[];
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
}
export interface LifecycleFilter {
  Prefix?: string;
  Tag?: LifecycleTag;
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: LifecycleFilterAnd;
}
export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled';
  Prefix?: string; // deprecated rule-level prefix (instead of Filter)
  Filter?: LifecycleFilter;
  Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
}
export interface LifecycleConfiguration {
  Rules: LifecycleRule[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function el(name: string, value: string | number | boolean, pad: string): string {
  return `${pad}<${name}>${esc(String(value))}</${name}>\n`;
}

function tagXml(t: LifecycleTag, pad: string): string {
  return `${pad}<Tag>\n${el('Key', t.Key, pad + '  ')}${el('Value', t.Value, pad + '  ')}${pad}</Tag>\n`;
}

function dateXml(d: string): string {
  return d.length === 10 ? `${d}T00:00:00Z` : d;
}

// The S3 XML document of a configuration, indented.
export function lifecycleXml(c: LifecycleConfiguration): string {
  let x = '<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n';
  for (const r of c.Rules) {
    x += '  <Rule>\n';
    const p = '    ';
    if (r.ID) x += el('ID', r.ID, p);
    if (r.Prefix !== undefined) {
      x += el('Prefix', r.Prefix, p);
    } else {
      const f = r.Filter ?? {};
      x += `${p}<Filter>\n`;
      const fp = p + '  ';
      const members = (m: LifecycleFilterAnd & { Tag?: LifecycleTag }, q: string) => {
        let s = '';
        if (m.Prefix !== undefined) s += el('Prefix', m.Prefix, q);
        if (m.Tag) s += tagXml(m.Tag, q);
        for (const t of m.Tags ?? []) s += tagXml(t, q);
        if (m.ObjectSizeGreaterThan !== undefined) s += el('ObjectSizeGreaterThan', m.ObjectSizeGreaterThan, q);
        if (m.ObjectSizeLessThan !== undefined) s += el('ObjectSizeLessThan', m.ObjectSizeLessThan, q);
        return s;
      };
      if (f.And) {
        x += `${fp}<And>\n${members(f.And, fp + '  ')}${fp}</And>\n`;
      } else {
        x += members(f, fp);
      }
      x += `${p}</Filter>\n`;
    }
    x += el('Status', r.Status, p);
    if (r.Expiration) {
      x += `${p}<Expiration>\n`;
      const e = r.Expiration;
      if (e.Days !== undefined) x += el('Days', e.Days, p + '  ');
      if (e.Date !== undefined) x += el('Date', dateXml(e.Date), p + '  ');
      if (e.ExpiredObjectDeleteMarker !== undefined) x += el('ExpiredObjectDeleteMarker', e.ExpiredObjectDeleteMarker, p + '  ');
      x += `${p}</Expiration>\n`;
    }
    if (r.NoncurrentVersionExpiration) {
      const n = r.NoncurrentVersionExpiration;
      x += `${p}<NoncurrentVersionExpiration>\n`;
      if (n.NoncurrentDays !== undefined) x += el('NoncurrentDays', n.NoncurrentDays, p + '  ');
      if (n.NewerNoncurrentVersions !== undefined) x += el('NewerNoncurrentVersions', n.NewerNoncurrentVersions, p + '  ');
      x += `${p}</NoncurrentVersionExpiration>\n`;
    }
    if (r.AbortIncompleteMultipartUpload) {
      x += `${p}<AbortIncompleteMultipartUpload>\n`;
      x += el('DaysAfterInitiation', r.AbortIncompleteMultipartUpload.DaysAfterInitiation, p + '  ');
      x += `${p}</AbortIncompleteMultipartUpload>\n`;
    }
    x += '  </Rule>\n';
  }
  return x + '</LifecycleConfiguration>\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// "prefix logs/, tag k=v, size > 10 B" / "every object".
export function filterSummary(r: LifecycleRule): string {
  if (r.Prefix !== undefined) return r.Prefix === '' ? 'every object' : `prefix ${r.Prefix}`;
  const f = r.Filter ?? {};
  const m: LifecycleFilterAnd = f.And ?? { Prefix: f.Prefix, Tags: f.Tag ? [f.Tag] : [], ObjectSizeGreaterThan: f.ObjectSizeGreaterThan, ObjectSizeLessThan: f.ObjectSizeLessThan };
  const parts: string[] = [];
  if (m.Prefix) parts.push(`prefix ${m.Prefix}`);
  for (const t of m.Tags ?? []) parts.push(`tag ${t.Key}=${t.Value}`);
  if (m.ObjectSizeGreaterThan !== undefined) parts.push(`size > ${m.ObjectSizeGreaterThan} B`);
  if (m.ObjectSizeLessThan !== undefined) parts.push(`size < ${m.ObjectSizeLessThan} B`);
  return parts.length ? parts.join(', ') : 'every object';
}

// "expire after 30 days; noncurrent after 7 days (keep 2); abort uploads after 3 days".
export function actionSummary(r: LifecycleRule): string {
  const parts: string[] = [];
  const e = r.Expiration;
  if (e?.Days !== undefined) parts.push(`expire after ${plural(e.Days, 'day')}`);
  if (e?.Date !== undefined) parts.push(`expire on ${e.Date.slice(0, 10)}`);
  if (e?.ExpiredObjectDeleteMarker) parts.push('remove expired delete markers');
  const n = r.NoncurrentVersionExpiration;
  if (n) {
    let s = `noncurrent versions after ${plural(n.NoncurrentDays ?? 0, 'day')}`;
    if (n.NewerNoncurrentVersions !== undefined) s += ` (keep ${n.NewerNoncurrentVersions})`;
    parts.push(s);
  }
  if (r.AbortIncompleteMultipartUpload) {
    parts.push(`abort uploads after ${plural(r.AbortIncompleteMultipartUpload.DaysAfterInitiation, 'day')}`);
  }
  return parts.join('; ') || 'no action';
}
