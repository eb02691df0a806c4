import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconSearch, IconSettings, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { Api, type Bucket, type LockMode } from '../api';
import { formatBytes, formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';

function CreateBucketModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [versioning, setVersioning] = useState(false);
  const [lock, setLock] = useState(false);
  const [mode, setMode] = useState<LockMode>('NONE');
  const [days, setDays] = useState<number | string>(30);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await Api.createBucket({
        name,
        versioning: versioning || lock,
        objectLock: lock,
        retention: lock && mode !== 'NONE' ? { mode, days: Number(days) } : undefined,
      });
      notifyOk(`Bucket ${name} created`);
      setName('');
      onCreated();
      onClose();
    } catch (err) {
      notifyError(err, 'Cannot create bucket');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Create bucket">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="Name"
            description="3-63 characters: lower-case letters, digits, dots and hyphens"
            required
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Checkbox
            label="Versioning"
            description="Keep every version of every object"
            checked={versioning || lock}
            disabled={lock}
            onChange={(e) => setVersioning(e.currentTarget.checked)}
          />
          <Checkbox
            label="Object lock"
            description="Write-once-read-many protection; turns versioning on for good"
            checked={lock}
            onChange={(e) => setLock(e.currentTarget.checked)}
          />
          {lock && (
            <Group grow>
              <Select
                label="Default retention"
                data={['NONE', 'GOVERNANCE', 'COMPLIANCE']}
                value={mode}
                onChange={(v) => setMode((v as LockMode) ?? 'NONE')}
                allowDeselect={false}
              />
              <NumberInput label="Days" min={1} max={36500} value={days} onChange={setDays} disabled={mode === 'NONE'} />
            </Group>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// Deleting needs the bucket's name typed out, so a slip of the mouse cannot delete one.
export function DeleteBucketModal({ bucket, onClose, onDeleted }: { bucket: string | null; onClose: () => void; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setTyped(''), [bucket]);
  const submit = async () => {
    if (!bucket) return;
    setBusy(true);
    try {
      await Api.deleteBucket(bucket);
      notifyOk(`Bucket ${bucket} deleted`);
      onDeleted();
      onClose();
    } catch (err) {
      notifyError(err, 'Cannot delete bucket');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={bucket !== null} onClose={onClose} title="Delete bucket">
      <Stack>
        <Text size="sm">
          This deletes the bucket <b>{bucket}</b>. It must be empty. Type its name to confirm.
        </Text>
        <TextInput aria-label="Bucket name to confirm" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" disabled={typed !== bucket} loading={busy} onClick={submit}>
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function BucketsPage() {
  const [buckets, setBuckets] = useState<Bucket[]>([]);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const load = useCallback(() => {
    Api.buckets()
      .then((r) => setBuckets(r.buckets))
      .catch((e) => notifyError(e));
  }, []);
  useEffect(load, [load]);
  const shown = buckets.filter((b) => b.name.includes(search.trim()));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Buckets</Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          Create bucket
        </Button>
      </Group>
      <TextInput
        placeholder="Search buckets"
        aria-label="Search buckets"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={360}
      />
      <Table.ScrollContainer minWidth={560}>
        <Table highlightOnHover verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Objects</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>Features</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((b) => (
              <Table.Tr key={b.name}>
                <Table.Td>
                  <Anchor component={Link} to={`/buckets/${encodeURIComponent(b.name)}`} fw={500}>
                    {b.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{b.objects !== undefined ? b.objects.toLocaleString() : '—'}</Table.Td>
                <Table.Td>{b.bytes !== undefined ? formatBytes(b.bytes) : '—'}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {b.versioning !== 'Unversioned' && (
                      <Badge variant="light" color={b.versioning === 'Enabled' ? 'teal' : 'gray'}>
                        versioning {b.versioning.toLowerCase()}
                      </Badge>
                    )}
                    {b.objectLock && <Badge variant="light" color="orange">object lock</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{formatDate(b.createdAt)}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Settings">
                      <ActionIcon component={Link} to={`/buckets/${encodeURIComponent(b.name)}/settings`} variant="subtle" aria-label={`Settings of ${b.name}`}>
                        <IconSettings size={18} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Delete">
                      <ActionIcon variant="subtle" color="red" aria-label={`Delete ${b.name}`} onClick={() => setDeleting(b.name)}>
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
            {shown.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" ta="center" py="lg">
                    {buckets.length === 0 ? 'No buckets yet. Create one to start.' : 'No bucket matches.'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CreateBucketModal opened={creating} onClose={() => setCreating(false)} onCreated={load} />
      <DeleteBucketModal bucket={deleting} onClose={() => setDeleting(null)} onDeleted={load} />
    </Stack>
  );
}
