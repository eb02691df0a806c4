import { describe, expect, it } from 'vitest';
import { actionSummary, filterSummary, lifecycleXml, type LifecycleConfiguration } from './lifecycle';

describe('lifecycle', () => {
  const config: LifecycleConfiguration = {
    Rules: [
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
      {
        ID: 'a<b',
        Status: 'Disabled',
        Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'k', Value: 'v&w' }], ObjectSizeGreaterThan: 10 } },
        NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 2 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
      { ID: 'old', Status: 'Enabled', Prefix: '', Expiration: { Date: '2030-01-01' } },
      { ID: 'dm', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ],
  };
  it('renders the S3 XML document, escaped', () => {
    const x = lifecycleXml(config);
    expect(x).toContain('<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(x).toContain('<ID>logs</ID>\n    <Filter>\n      <Prefix>logs/</Prefix>\n    </Filter>\n    <Status>Enabled</Status>');
    expect(x).toContain('<Expiration>\n      <Days>30</Days>\n    </Expiration>');
    expect(x).toContain('<ID>a&lt;b</ID>');
    expect(x).toContain('<And>\n        <Prefix>tmp/</Prefix>\n        <Tag>\n          <Key>k</Key>\n          <Value>v&amp;w</Value>');
    expect(x).toContain('<NewerNoncurrentVersions>2</NewerNoncurrentVersions>');
    expect(x).toContain('<DaysAfterInitiation>3</DaysAfterInitiation>');
    expect(x).toContain('<Prefix></Prefix>\n    <Status>Enabled</Status>'); // rule-level prefix
    expect(x).toContain('<Date>2030-01-01T00:00:00Z</Date>');
    expect(x).toContain('<Filter>\n    </Filter>'); // every object
    expect(x).toContain('<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>');
    expect(x.match(/<Rule>/g)?.length).toBe(4);
  });
  it('summarizes filters and actions', () => {
    expect(filterSummary(config.Rules[0])).toBe('prefix logs/');
    expect(filterSummary(config.Rules[1])).toBe('prefix tmp/, tag k=v&w, size > 10 B');
    expect(filterSummary(config.Rules[2])).toBe('every object');
    expect(actionSummary(config.Rules[0])).toBe('expire after 30 days');
    expect(actionSummary(config.Rules[1])).toBe('noncurrent versions after 7 days (keep 2); abort uploads after 3 days');
    expect(actionSummary(config.Rules[2])).toBe('expire on 2030-01-01');
    expect(actionSummary(config.Rules[3])).toBe('remove expired delete markers');
  });
});
