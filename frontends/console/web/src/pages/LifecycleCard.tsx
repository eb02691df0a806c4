import { Alert, Badge, Button, Checkbox, Code, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Card } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';

import { Api, ApiError } from '../api';
import { actionSummary, filterSummary, lifecycleXml, type LifecycleConfiguration, type LifecycleRule } from '../lifecycle';
import { notifyError, notifyOk } from '../notify';

type ExpiryKind = 'none' | 'days' | 'date' | 'markers';

// The editable form of one rule.
interface Draft {
  id: string;
  enabled: boolean;
  prefix: string;
  tags: string; // "k=v, k2=v2"
  larger: number | string;
  smaller: number | string;
  expiry: ExpiryKind;
  days: number | string;
  date: string;
  noncurrent: boolean;
  noncurrentDays: number | string;
  keepNewer: number | string;
  abort: boolean;
  abortDays: number | string;
}

function toDraft(r?: LifecycleRule): Draft {
  const f = r?.Filter ?? {};
  const m = f.And ?? { Prefix: f.Prefix, Tags: f.Tag ? [f.Tag] : [], ObjectSizeGreaterThan: f.ObjectSizeGreaterThan, ObjectSizeLessThan: f.ObjectSizeLessThan };
  const e = r?.Expiration;
  return {
    id: r?.ID ?? '',
    enabled: r ? r.Status === 'Enabled' : true,
    prefix: r?.Prefix ?? m.Prefix ?? '',
    tags: (m.Tags ?? []).map((t) => `${t.Key}=${t.Value}`).join(', '),
    larger: m.ObjectSizeGreaterThan ?? '',
    smaller: m.ObjectSizeLessThan ?? '',
    expiry: e?.Days !== undefined ? 'days' : e?.Date !== undefined ? 'date' : e?.ExpiredObjectDeleteMarker ? 'markers' : 'none',
    days: e?.Days ?? 30,
    date: e?.Date?.slice(0, 10) ?? '',
    noncurrent: r?.NoncurrentVersionExpiration !== undefined,
    noncurrentDays: r?.NoncurrentVersionExpiration?.NoncurrentDays ?? 30,
    keepNewer: r?.NoncurrentVersionExpiration?.NewerNoncurrentVersions ?? '',
    abort: r?.AbortIncompleteMultipartUpload !== undefined,
    abortDays: r?.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? 7,
  };
}

const num = (v: number | string) => (v === '' ? undefined : Number(v));

function fromDraft(d: Draft): LifecycleRule {
  const tags = d.tags
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.indexOf('=');
      return i < 0 ? { Key: s, Value: '' } : { Key: s.slice(0, i).trim(), Value: s.slice(i + 1).trim() };
    });
  const larger = num(d.larger);
  const smaller = num(d.smaller);
  const members = (d.prefix ? 1 : 0) + tags.length + (larger !== undefined ? 1 : 0) + (smaller !== undefined ? 1 : 0);
  const r: LifecycleRule = { Status: d.enabled ? 'Enabled' : 'Disabled' };
  if (d.id) r.ID = d.id;
  if (members > 1) {
    r.Filter = { And: { Prefix: d.prefix || undefined, Tags: tags.length ? tags : undefined, ObjectSizeGreaterThan: larger, ObjectSizeLessThan: smaller } };
  } else if (tags.length) {
    r.Filter = { Tag: tags[0] };
  } else if (larger !== undefined) {
    r.Filter = { ObjectSizeGreaterThan: larger };
  } else if (smaller !== undefined) {
    r.Filter = { ObjectSizeLessThan: smaller };
  } else {
    r.Filter = d.prefix ? { Prefix: d.prefix } : {};
  }
  if (d.expiry === 'days') r.Expiration = { Days: Number(d.days) };
  if (d.expiry === 'date') r.Expiration = { Date: d.date };
  if (d.expiry === 'markers') r.Expiration = { ExpiredObjectDeleteMarker: true };
  if (d.noncurrent) r.NoncurrentVersionExpiration = { NoncurrentDays: Number(d.noncurrentDays), NewerNoncurrentVersions: num(d.keepNewer) };
  if (d.abort) r.AbortIncompleteMultipartUpload = { DaysAfterInitiation: Number(d.abortDays) };
  return r;
}

function RuleModal({ rule, onClose, onSave }: { rule: LifecycleRule | null | undefined; onClose: () => void; onSave: (r: LifecycleRule) => void }) {
  const [d, setD] = useState<Draft>(toDraft(undefined));
  useEffect(() => setD(toDraft(rule ?? undefined)), [rule]);
  const set = <K extends keyof Draft>(k: K) => (v: Draft[K]) => setD((p) => ({ ...p, [k]: v }));
  return (
    <Modal opened={rule !== undefined} onClose={onClose} title={rule ? `Edit rule ${rule.ID ?? ''}` : 'Add a rule'} size="lg">
      <Stack>
        <Group grow>
          <TextInput label="Rule ID" description="Unique; empty: the server picks one" value={d.id} onChange={(e) => set('id')(e.currentTarget.value)} data-testid="rule-id" />
          <Switch label="Enabled" checked={d.enabled} onChange={(e) => set('enabled')(e.currentTarget.checked)} mt="lg" />
        </Group>
        <Text fw={600} size="sm">Applies to</Text>
        <Group grow>
          <TextInput label="Key prefix" placeholder="every object" value={d.prefix} onChange={(e) => set('prefix')(e.currentTarget.value)} data-testid="rule-prefix" />
          <TextInput label="Tags" placeholder="key=value, key2=value2" value={d.tags} onChange={(e) => set('tags')(e.currentTarget.value)} />
        </Group>
        <Group grow>
          <NumberInput label="Larger than (bytes)" min={0} value={d.larger} onChange={set('larger')} />
          <NumberInput label="Smaller than (bytes)" min={1} value={d.smaller} onChange={set('smaller')} />
        </Group>
        <Text fw={600} size="sm">Current versions</Text>
        <Group align="flex-end">
          <Select
            label="Expire"
            data={[
              { value: 'none', label: 'never' },
              { value: 'days', label: 'days after creation' },
              { value: 'date', label: 'on a date' },
              { value: 'markers', label: 'remove expired delete markers only' },
            ]}
            value={d.expiry}
            onChange={(v) => set('expiry')((v as ExpiryKind) ?? 'none')}
            allowDeselect={false}
            w={280}
            data-testid="rule-expiry"
          />
          {d.expiry === 'days' && <NumberInput label="Days" min={1} value={d.days} onChange={set('days')} w={110} data-testid="rule-days" />}
          {d.expiry === 'date' && <TextInput label="Date (UTC)" placeholder="2030-01-01" value={d.date} onChange={(e) => set('date')(e.currentTarget.value)} w={140} />}
        </Group>
        <Group align="flex-end">
          <Checkbox label="Expire noncurrent versions" checked={d.noncurrent} onChange={(e) => set('noncurrent')(e.currentTarget.checked)} data-testid="rule-noncurrent" />
          {d.noncurrent && (
            <>
              <NumberInput label="Days noncurrent" min={1} value={d.noncurrentDays} onChange={set('noncurrentDays')} w={140} />
              <NumberInput label="Keep newest" placeholder="none" min={1} max={100} value={d.keepNewer} onChange={set('keepNewer')} w={120} />
            </>
          )}
        </Group>
        <Group align="flex-end">
          <Checkbox label="Abort incomplete multipart uploads" checked={d.abort} onChange={(e) => set('abort')(e.currentTarget.checked)} />
          {d.abort && <NumberInput label="Days after start" min={1} value={d.abortDays} onChange={set('abortDays')} w={140} />}
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => onSave(fromDraft(d))} data-testid="rule-ok">
            OK
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

// The bucket's lifecycle rules: a table (enable/disable, edit, delete), a rule editor, and the
// S3 XML document of what is saved.
export function LifecycleCard({ bucket }: { bucket: string }) {
  const [rules, setRules] = useState<LifecycleRule[]>([]);
  const [saved, setSaved] = useState<string>('[]');
  const [denied, setDenied] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ index: number; rule: LifecycleRule | null } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    Api.lifecycle(bucket)
      .then((c) => {
        setRules(c.Rules);
        setSaved(JSON.stringify(c.Rules));
        setDenied(null);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.code === 'NoSuchLifecycleConfiguration') {
          setRules([]);
          setSaved('[]');
        } else {
          setDenied(e instanceof Error ? e.message : String(e));
        }
      });
  }, [bucket]);
  useEffect(load, [load]);
  const config: LifecycleConfiguration = useMemo(() => ({ Rules: rules }), [rules]);
  const dirty = JSON.stringify(rules) !== saved;
  const save = async () => {
    setBusy(true);
    try {
      if (rules.length === 0) {
        await Api.deleteLifecycle(bucket);
      } else {
        await Api.putLifecycle(bucket, config);
      }
      notifyOk('Lifecycle rules saved');
      load();
    } catch (e) {
      notifyError(e, 'Cannot save the lifecycle rules');
    } finally {
      setBusy(false);
    }
  };
  const update = (i: number, r: LifecycleRule | null) =>
    setRules((p) => (r === null ? p.filter((_, j) => j !== i) : i < 0 ? [...p, r] : p.map((x, j) => (j === i ? r : x))));
  return (
    <Card withBorder data-testid="lifecycle-card">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Lifecycle rules</Text>
          <Button size="xs" variant="light" onClick={() => setEditing({ index: -1, rule: null })} disabled={denied !== null}>
            Add rule
          </Button>
        </Group>
        {denied ? (
          <Alert color="gray">{denied}</Alert>
        ) : rules.length === 0 ? (
          <Text size="sm" c="dimmed">
            No rules: objects are kept until deleted.
          </Text>
        ) : (
          <Table data-testid="lifecycle-rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ID</Table.Th>
                <Table.Th>Applies to</Table.Th>
                <Table.Th>Actions</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((r, i) => (
                <Table.Tr key={`${r.ID ?? ''}-${i}`} data-testid="lifecycle-rule">
                  <Table.Td>{r.ID ?? <Badge variant="light">new</Badge>}</Table.Td>
                  <Table.Td>{filterSummary(r)}</Table.Td>
                  <Table.Td>{actionSummary(r)}</Table.Td>
                  <Table.Td>
                    <Switch
                      checked={r.Status === 'Enabled'}
                      onChange={(e) => update(i, { ...r, Status: e.currentTarget.checked ? 'Enabled' : 'Disabled' })}
                      aria-label={`Enable rule ${r.ID ?? i + 1}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setEditing({ index: i, rule: r })}>
                        Edit
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => update(i, null)}>
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {rules.length > 0 && (
          <>
            <Text size="xs" c="dimmed">
              The S3 document of these rules (what PutBucketLifecycleConfiguration takes; the console sends the same rules as
              the JSON `aws s3api put-bucket-lifecycle-configuration` takes):
            </Text>
            <Code block data-testid="lifecycle-xml" style={{ maxHeight: 240, overflow: 'auto' }}>
              {lifecycleXml(config)}
            </Code>
          </>
        )}
        <Group>
          <Button onClick={save} loading={busy} disabled={!dirty} data-testid="lifecycle-save">
            Save rules
          </Button>
          {dirty && (
            <Text size="sm" c="orange">
              Unsaved changes
            </Text>
          )}
        </Group>
      </Stack>
      <RuleModal
        rule={editing?.rule}
        onClose={() => setEditing(undefined)}
        onSave={(r) => {
          if (editing) update(editing.index, r);
          setEditing(undefined);
        }}
      />
    </Card>
  );
}
