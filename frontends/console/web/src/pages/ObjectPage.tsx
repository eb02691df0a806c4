import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  CopyButton,
  Group,
  Image,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDownload, IconLink, IconLock, IconRestore, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import { Api, ApiError, Tags, downloadUrl, type LockMode, type ObjectDetails, type Version } from '../api';
import { TagsCard } from '../components/TagsCard';
import { MAX_OBJECT_TAGS, type Tag } from '../tags';
import { baseName, formatBytes, formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';

const IMAGE = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;
const TEXT = /^(text\/|application\/(json|xml|javascript|x-yaml))/;

function Preview({ bucket, obj }: { bucket: string; obj: ObjectDetails }) {
  const [text, setText] = useState<string | null>(null);
  const type = obj.contentType.split(';')[0];
  const url = downloadUrl(bucket, obj.key, obj.versionId === 'null' ? undefined : obj.versionId, true);
  useEffect(() => {
    setText(null);
    if (TEXT.test(type) && obj.size > 0) {
      fetch(url, { headers: { Range: 'bytes=0-65535' } })
        .then((r) => r.text())
        .then(setText)
        .catch(() => setText(null));
    }
  }, [url, type, obj.size]);
  if (IMAGE.test(type)) return <Image src={url} alt={obj.key} mah={480} fit="contain" />;
  if (type === 'application/pdf') return <iframe title="PDF preview" src={url} style={{ width: '100%', height: 560, border: 0 }} />;
  if (TEXT.test(type))
    return (
      <Text component="pre" ff="monospace" size="xs" style={{ whiteSpace: 'pre-wrap', maxHeight: 480, overflow: 'auto' }} data-testid="text-preview">
        {text ?? '…'}
        {obj.size > 65536 ? '\n… (first 64 KiB)' : ''}
      </Text>
    );
  return <Text c="dimmed">No preview for {obj.contentType}.</Text>;
}

function KeyValues({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td w={180}>
              <Text size="sm" c="dimmed">
                {k}
              </Text>
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-all' }}>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function LockCard({ bucket, obj, onChange }: { bucket: string; obj: ObjectDetails; onChange: () => void }) {
  const [mode, setMode] = useState<LockMode>(obj.retention?.mode ?? 'NONE');
  const [until, setUntil] = useState(obj.retention?.retainUntil?.slice(0, 10) ?? '');
  const [bypass, setBypass] = useState(false);
  const vid = obj.versionId;
  const saveRetention = async () => {
    try {
      await Api.putRetention(bucket, obj.key, vid, mode, mode === 'NONE' ? undefined : `${until}T00:00:00Z`, bypass);
      notifyOk('Retention saved');
      onChange();
    } catch (e) {
      notifyError(e, 'Cannot set retention');
    }
  };
  const setHold = async (on: boolean) => {
    try {
      await Api.putLegalHold(bucket, obj.key, vid, on);
      notifyOk(on ? 'Legal hold set' : 'Legal hold removed');
      onChange();
    } catch (e) {
      notifyError(e, 'Cannot change legal hold');
    }
  };
  return (
    <Card withBorder>
      <Stack>
        <Group gap="xs">
          <IconLock size={18} />
          <Text fw={600}>Object lock (this version)</Text>
        </Group>
        <Switch label="Legal hold" checked={!!obj.legalHold} onChange={(e) => setHold(e.currentTarget.checked)} data-testid="legal-hold" />
        <Group align="flex-end" wrap="wrap">
          <Select label="Retention" data={['NONE', 'GOVERNANCE', 'COMPLIANCE']} value={mode} onChange={(v) => setMode((v as LockMode) ?? 'NONE')} allowDeselect={false} w={160} />
          <TextInput label="Retain until (UTC date)" type="date" value={until} onChange={(e) => setUntil(e.currentTarget.value)} disabled={mode === 'NONE'} />
          <Checkbox label="Bypass governance" checked={bypass} onChange={(e) => setBypass(e.currentTarget.checked)} />
          <Button onClick={saveRetention} disabled={mode !== 'NONE' && !until}>
            Save retention
          </Button>
        </Group>
        {obj.retention && (
          <Text size="sm">
            Retained in {obj.retention.mode} mode until {formatDate(obj.retention.retainUntil)}.
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function ShareCard({ bucket, obj }: { bucket: string; obj: ObjectDetails }) {
  const [expires, setExpires] = useState('3600');
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const make = async () => {
    try {
      setLink(await Api.share(bucket, obj.key, obj.versionId === 'null' ? undefined : obj.versionId, Number(expires)));
    } catch (e) {
      notifyError(e, 'Cannot create link');
    }
  };
  return (
    <Card withBorder>
      <Stack>
        <Group gap="xs">
          <IconLink size={18} />
          <Text fw={600}>Share link</Text>
        </Group>
        <Group align="flex-end">
          <Select
            label="Expires after"
            w={160}
            value={expires}
            onChange={(v) => setExpires(v ?? '3600')}
            allowDeselect={false}
            data={[
              { value: '900', label: '15 minutes' },
              { value: '3600', label: '1 hour' },
              { value: '86400', label: '1 day' },
              { value: '604800', label: '7 days' },
            ]}
          />
          <Button onClick={make}>Create link</Button>
        </Group>
        {link && (
          <Stack gap={4}>
            <TextInput readOnly value={link.url} aria-label="Share link" data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                Valid until {formatDate(link.expiresAt)}; anyone with the link can download the object from the S3 API.
              </Text>
              <CopyButton value={link.url}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function VersionsTable({ bucket, versions, onChange }: { bucket: string; versions: Version[]; onChange: () => void }) {
  const restore = async (v: Version) => {
    try {
      await Api.restore(bucket, v.key, v.versionId);
      notifyOk('Version restored as the newest');
      onChange();
    } catch (e) {
      notifyError(e, 'Cannot restore');
    }
  };
  const remove = async (v: Version) => {
    try {
      await Api.deleteObject(bucket, v.key, v.versionId);
      notifyOk('Version deleted');
      onChange();
    } catch (e) {
      notifyError(e, 'Cannot delete version');
    }
  };
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing={6} data-testid="versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Modified</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>Lock</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.versionId} data-testid="version-row">
              <Table.Td>
                <Group gap={4}>
                  <Text size="xs" ff="monospace" title={v.versionId}>
                    {v.versionId}
                  </Text>
                  {v.isLatest && <Badge size="xs">latest</Badge>}
                  {v.deleteMarker && (
                    <Badge size="xs" color="gray">
                      delete marker
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{formatDate(v.lastModified)}</Table.Td>
              <Table.Td>{v.deleteMarker ? '' : formatBytes(v.size)}</Table.Td>
              <Table.Td>
                {v.legalHold && <Badge size="xs" color="orange">hold</Badge>} {v.retention && <Badge size="xs" color="orange">{v.retention.mode.toLowerCase()}</Badge>}
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  {!v.deleteMarker && (
                    <Button size="compact-xs" variant="subtle" component="a" href={downloadUrl(bucket, v.key, v.versionId)} leftSection={<IconDownload size={14} />}>
                      Download
                    </Button>
                  )}
                  {!v.deleteMarker && !v.isLatest && (
                    <Button size="compact-xs" variant="subtle" onClick={() => restore(v)} leftSection={<IconRestore size={14} />}>
                      Restore
                    </Button>
                  )}
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove(v)} leftSection={<IconTrash size={14} />}>
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ObjectPage() {
  const { bucket = '' } = useParams();
  const [params] = useSearchParams();
  const key = params.get('key') ?? '';
  const navigate = useNavigate();
  const [obj, setObj] = useState<ObjectDetails | null>(null);
  const [error, setError] = useState('');
  const [versions, setVersions] = useState<Version[]>([]);
  const [lockEnabled, setLockEnabled] = useState(false);
  const [versioned, setVersioned] = useState(false);

  const load = useCallback(() => {
    Api.details(bucket, key)
      .then((o) => {
        setObj(o);
        setError('');
      })
      .catch((e) => {
        setObj(null);
        setError(e instanceof ApiError && e.status === 404 ? 'This object has no current version (deleted or never written).' : String(e.message));
      });
    Api.bucket(bucket)
      .then((b) => {
        setLockEnabled(b.objectLock);
        setVersioned(b.versioning !== 'Unversioned');
        if (b.versioning !== 'Unversioned') Api.versions(bucket, key).then((r) => setVersions(r.versions)).catch(() => undefined);
      })
      .catch(() => undefined);
  }, [bucket, key]);
  useEffect(load, [load]);
  const tagsLoad = useCallback(() => Tags.object(bucket, key), [bucket, key]);
  const tagsSave = useMemo(() => (tags: Tag[]) => Tags.putObject(bucket, key, tags), [bucket, key]);

  const parent = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  const del = async () => {
    try {
      await Api.deleteObject(bucket, key);
      notifyOk(versioned ? 'Delete marker added' : 'Object deleted');
      if (versioned) load();
      else navigate(`/buckets/${encodeURIComponent(bucket)}?prefix=${encodeURIComponent(parent)}`);
    } catch (e) {
      notifyError(e, 'Cannot delete');
    }
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Stack gap={2}>
          <Anchor component={Link} to={`/buckets/${encodeURIComponent(bucket)}${parent ? `?prefix=${encodeURIComponent(parent)}` : ''}`} size="sm">
            ← {bucket}/{parent}
          </Anchor>
          <Title order={2} style={{ wordBreak: 'break-all' }}>
            {baseName(key)}
          </Title>
        </Stack>
        {obj && (
          <Group gap="xs">
            <Button component="a" href={downloadUrl(bucket, key)} leftSection={<IconDownload size={16} />}>
              Download
            </Button>
            <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={del}>
              Delete
            </Button>
          </Group>
        )}
      </Group>
      {error && <Alert color="yellow">{error}</Alert>}
      {obj && (
        <Tabs defaultValue="overview" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="overview">Overview</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
            {versioned && <Tabs.Tab value="versions">Versions ({versions.length})</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="overview" pt="md">
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder>
                <Text fw={600} mb="xs">
                  Object
                </Text>
                <KeyValues
                  rows={[
                    ['Key', key],
                    ['Size', `${formatBytes(obj.size)} (${obj.size.toLocaleString()} bytes)`],
                    ['Last modified', formatDate(obj.lastModified)],
                    ['ETag', <Text size="sm" ff="monospace">{obj.etag}</Text>],
                    ['Version', obj.versionId || '—'],
                    ['Content-Type', obj.contentType],
                    ['Storage class', obj.storageClass],
                    ...(obj.partsCount ? ([['Parts', String(obj.partsCount)]] as [string, string][]) : []),
                    ...Object.entries(obj.headers),
                    ...Object.entries(obj.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v] as [string, string]),
                  ]}
                />
              </Card>
              <Stack>
                <ShareCard bucket={bucket} obj={obj} />
                <TagsCard key={obj.versionId} title="Tags" testId="object-tags-card" max={MAX_OBJECT_TAGS} load={tagsLoad} save={tagsSave} />
                {lockEnabled && <LockCard key={`${obj.versionId}-${obj.legalHold}-${obj.retention?.retainUntil}`} bucket={bucket} obj={obj} onChange={load} />}
              </Stack>
            </SimpleGrid>
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="md">
            <Preview bucket={bucket} obj={obj} />
          </Tabs.Panel>
          <Tabs.Panel value="versions" pt="md">
            <VersionsTable bucket={bucket} versions={versions} onChange={load} />
          </Tabs.Panel>
        </Tabs>
      )}
      {!obj && versioned && versions.length > 0 && <VersionsTable bucket={bucket} versions={versions} onChange={load} />}
    </Stack>
  );
}
