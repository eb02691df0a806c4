import {
  ActionIcon,
  Anchor,
  Box,
  Breadcrumbs,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  Overlay,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowUp,
  IconDots,
  IconDownload,
  IconFile,
  IconFolder,
  IconFolderPlus,
  IconFolderUp,
  IconRefresh,
  IconSettings,
  IconTrash,
  IconUpload,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import { Api, downloadUrl, type Listing } from '../api';
import { UploadPanel } from '../components/UploadPanel';
import { baseName, formatBytes, formatDate, prefixParts, sortRows, type Row, type SortKey } from '../format';
import { notifyError, notifyOk } from '../notify';
import { filesFromDrop, filesFromInput, Uploader, type UploadItem } from '../upload';

function SortHeader({ label, k, sort, desc, onSort }: { label: string; k: SortKey; sort: SortKey; desc: boolean; onSort: (k: SortKey) => void }) {
  return (
    <Table.Th>
      <UnstyledButton onClick={() => onSort(k)} aria-label={`Sort by ${label}`}>
        <Group gap={4} wrap="nowrap">
          <Text fw={700} size="sm">
            {label}
          </Text>
          {sort === k && (desc ? <IconArrowDown size={14} /> : <IconArrowUp size={14} />)}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

export function BrowserPage() {
  const { bucket = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const prefix = params.get('prefix') ?? '';
  const navigate = useNavigate();
  const [pageSize, setPageSize] = useState(200);
  // Cursor of each page shown so far: pages[i] is the startAfter of page i.
  const [cursors, setCursors] = useState<string[]>(['']);
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [sort, setSort] = useState<SortKey>('name');
  const [desc, setDesc] = useState(false);
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [folderOpen, setFolderOpen] = useState(false);
  const [folderName, setFolderName] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [renameTo, setRenameTo] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const cursor = cursors[cursors.length - 1];
  const load = useCallback(() => {
    setLoading(true);
    Api.list(bucket, prefix, cursor, pageSize)
      .then((l) => {
        setListing(l);
        setSelected(new Set());
      })
      .catch((e) => notifyError(e, 'Cannot list objects'))
      .finally(() => setLoading(false));
  }, [bucket, prefix, cursor, pageSize]);
  useEffect(load, [load]);
  useEffect(() => setCursors(['']), [bucket, prefix, pageSize]);

  // The uploader lives as long as the bucket is shown; it reloads the listing (as it is now,
  // whatever folder or page) shortly after each finished file.
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const reloadSoon = useRef<number | undefined>(undefined);
  const uploader = useMemo(
    () =>
      new Uploader(bucket, setUploads, () => {
        window.clearTimeout(reloadSoon.current);
        reloadSoon.current = window.setTimeout(() => latestLoad.current(), 300);
      }),
    [bucket],
  );
  useEffect(() => () => uploader.cancel(), [uploader]);

  const rows: Row[] = useMemo(() => {
    if (!listing) return [];
    const r: Row[] = [
      ...listing.prefixes.map((p) => ({ kind: 'folder' as const, key: p, size: 0, lastModified: '' })),
      ...listing.objects
        .filter((o) => o.key !== prefix) // the folder's own marker object
        .map((o) => ({ kind: 'object' as const, key: o.key, size: o.size, lastModified: o.lastModified })),
    ];
    return sortRows(r, sort, desc);
  }, [listing, sort, desc, prefix]);

  const goPrefix = (p: string) => setParams(p ? { prefix: p } : {});
  const onSort = (k: SortKey) => {
    if (k === sort) setDesc(!desc);
    else {
      setSort(k);
      setDesc(false);
    }
  };
  const toggle = (key: string) => {
    const s = new Set(selected);
    if (s.has(key)) s.delete(key);
    else s.add(key);
    setSelected(s);
  };
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.key));

  const deleteSelected = async () => {
    const keys = [...selected].filter((k) => !k.endsWith('/'));
    const prefixes = [...selected].filter((k) => k.endsWith('/'));
    try {
      const r = await Api.deleteMany(bucket, keys, prefixes);
      if (r.errors.length) notifyError(new Error(`${r.errors[0].key}: ${r.errors[0].message}`), `${r.errors.length} not deleted`);
      if (r.deleted.length) notifyOk(`Deleted ${r.deleted.length} object(s)`);
    } catch (e) {
      notifyError(e, 'Cannot delete');
    }
    setConfirmDelete(false);
    load();
  };
  const createFolder = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await Api.createFolder(bucket, prefix + folderName.replace(/^\/+/, ''));
      setFolderOpen(false);
      setFolderName('');
      load();
    } catch (err) {
      notifyError(err, 'Cannot create folder');
    }
  };
  const rename = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!renaming) return;
    try {
      const r = await Api.rename(bucket, renaming, renameTo);
      notifyOk(`Moved ${r.moved} object(s)`);
      setRenaming(null);
      load();
    } catch (err) {
      notifyError(err, 'Cannot rename');
    }
  };
  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = await filesFromDrop(e.dataTransfer);
    if (files.length) uploader.add(files, prefix);
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Stack gap={2}>
          <Title order={2}>{bucket}</Title>
          <Breadcrumbs separator="/" aria-label="Folder path">
            <Anchor component="button" onClick={() => goPrefix('')}>
              {bucket}
            </Anchor>
            {prefixParts(prefix).map(([name, p]) => (
              <Anchor component="button" key={p} onClick={() => goPrefix(p)}>
                {name}
              </Anchor>
            ))}
          </Breadcrumbs>
        </Stack>
        <Group gap="xs">
          <Button leftSection={<IconUpload size={16} />} onClick={() => fileInput.current?.click()}>
            Upload
          </Button>
          <Button variant="default" leftSection={<IconFolderUp size={16} />} onClick={() => folderInput.current?.click()}>
            Upload folder
          </Button>
          <Button variant="default" leftSection={<IconFolderPlus size={16} />} onClick={() => setFolderOpen(true)}>
            New folder
          </Button>
          <Button color="red" variant="light" leftSection={<IconTrash size={16} />} disabled={selected.size === 0} onClick={() => setConfirmDelete(true)}>
            Delete{selected.size ? ` (${selected.size})` : ''}
          </Button>
          <Tooltip label="Refresh">
            <ActionIcon variant="default" size="lg" aria-label="Refresh" onClick={load} loading={loading}>
              <IconRefresh size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Bucket settings">
            <ActionIcon component={Link} to={`/buckets/${encodeURIComponent(bucket)}/settings`} variant="default" size="lg" aria-label="Bucket settings">
              <IconSettings size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          uploader.add(filesFromInput(e.currentTarget.files), prefix);
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid="folder-input"
        {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
        onChange={(e) => {
          uploader.add(filesFromInput(e.currentTarget.files), prefix);
          e.currentTarget.value = '';
        }}
      />
      <UploadPanel items={uploads} onCancel={(id) => uploader.cancel(id)} onClear={() => uploader.clearFinished()} />
      <Box
        pos="relative"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        {dragging && (
          <Overlay color="var(--mantine-color-indigo-6)" backgroundOpacity={0.15} blur={1} zIndex={5}>
            <Text ta="center" mt="xl" fw={700}>
              Drop files or folders to upload to /{prefix}
            </Text>
          </Overlay>
        )}
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <Checkbox
                    aria-label="Select all"
                    checked={allSelected}
                    indeterminate={selected.size > 0 && !allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.key)))}
                  />
                </Table.Th>
                <SortHeader label="Name" k="name" sort={sort} desc={desc} onSort={onSort} />
                <SortHeader label="Size" k="size" sort={sort} desc={desc} onSort={onSort} />
                <SortHeader label="Last modified" k="date" sort={sort} desc={desc} onSort={onSort} />
                <Table.Th w={80} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key} data-testid="object-row" data-key={r.key}>
                  <Table.Td>
                    <Checkbox aria-label={`Select ${baseName(r.key)}`} checked={selected.has(r.key)} onChange={() => toggle(r.key)} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {r.kind === 'folder' ? <IconFolder size={18} color="var(--mantine-color-yellow-6)" /> : <IconFile size={18} />}
                      {r.kind === 'folder' ? (
                        <Anchor component="button" onClick={() => goPrefix(r.key)}>
                          {baseName(r.key)}
                        </Anchor>
                      ) : (
                        <Anchor component={Link} to={`/buckets/${encodeURIComponent(bucket)}/object?key=${encodeURIComponent(r.key)}`}>
                          {baseName(r.key)}
                        </Anchor>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{r.kind === 'folder' ? '' : formatBytes(r.size)}</Table.Td>
                  <Table.Td>{r.kind === 'folder' ? '' : formatDate(r.lastModified)}</Table.Td>
                  <Table.Td>
                    <Group gap={2} wrap="nowrap" justify="flex-end">
                      {r.kind === 'object' && (
                        <Tooltip label="Download">
                          <ActionIcon component="a" href={downloadUrl(bucket, r.key)} variant="subtle" aria-label={`Download ${baseName(r.key)}`}>
                            <IconDownload size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      <Menu position="bottom-end">
                        <Menu.Target>
                          <ActionIcon variant="subtle" aria-label={`More actions for ${baseName(r.key)}`}>
                            <IconDots size={18} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {r.kind === 'object' && (
                            <Menu.Item onClick={() => navigate(`/buckets/${encodeURIComponent(bucket)}/object?key=${encodeURIComponent(r.key)}`)}>
                              Details
                            </Menu.Item>
                          )}
                          <Menu.Item
                            onClick={() => {
                              setRenaming(r.key);
                              setRenameTo(r.key);
                            }}
                          >
                            Rename / move
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
              {listing && rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="xl">
                      Empty. Drop files or folders here, or use Upload.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Box>
      <Group justify="space-between">
        <Select
          aria-label="Page size"
          w={160}
          data={['100', '200', '500', '1000'].map((v) => ({ value: v, label: `${v} per page` }))}
          value={String(pageSize)}
          onChange={(v) => setPageSize(Number(v ?? 200))}
          allowDeselect={false}
        />
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Page {cursors.length}
          </Text>
          <Button variant="default" size="xs" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </Button>
          <Button
            variant="default"
            size="xs"
            disabled={!listing?.truncated}
            onClick={() => listing && setCursors([...cursors, listing.nextStartAfter])}
          >
            Next
          </Button>
        </Group>
      </Group>
      <Modal opened={folderOpen} onClose={() => setFolderOpen(false)} title="New folder">
        <form onSubmit={createFolder}>
          <Stack>
            <TextInput label="Folder name" required data-autofocus value={folderName} onChange={(e) => setFolderName(e.currentTarget.value)} />
            <Group justify="flex-end">
              <Button type="submit">Create</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title="Rename or move">
        <form onSubmit={rename}>
          <Stack>
            <Text size="sm">Full new key (a different folder moves it).</Text>
            <TextInput label="New key" required data-autofocus value={renameTo} onChange={(e) => setRenameTo(e.currentTarget.value)} />
            <Group justify="flex-end">
              <Button type="submit">Rename</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title="Delete objects">
        <Stack>
          <Text size="sm">
            Delete {selected.size} selected item(s)? Folders are deleted with everything in them. In a versioned bucket this adds
            delete markers; older versions stay.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={deleteSelected} data-autofocus>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
