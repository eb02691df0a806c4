import { ActionIcon, Button, Card, Group, Progress, ScrollArea, Stack, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';

import { formatBytes } from '../format';
import type { UploadItem } from '../upload';

const color = { queued: 'gray', uploading: 'indigo', done: 'teal', failed: 'red', cancelled: 'gray' } as const;

export function UploadPanel({
  items,
  onCancel,
  onClear,
}: {
  items: UploadItem[];
  onCancel: (id?: number) => void;
  onClear: () => void;
}) {
  if (items.length === 0) return null;
  const total = items.reduce((s, i) => s + i.size, 0);
  const loaded = items.reduce((s, i) => s + (i.state === 'done' ? i.size : i.loaded), 0);
  const active = items.some((i) => i.state === 'queued' || i.state === 'uploading');
  const done = items.filter((i) => i.state === 'done').length;
  const pct = total > 0 ? (100 * loaded) / total : active ? 0 : 100;
  return (
    <Card withBorder padding="sm" data-testid="upload-panel">
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={600}>
          Uploads: {done}/{items.length} files, {formatBytes(loaded)} of {formatBytes(total)}
        </Text>
        <Group gap="xs">
          {active && (
            <Button size="xs" variant="default" onClick={() => onCancel()}>
              Cancel all
            </Button>
          )}
          {!active && (
            <Button size="xs" variant="default" onClick={onClear}>
              Clear
            </Button>
          )}
        </Group>
      </Group>
      <Progress value={pct} size="lg" aria-label="Overall upload progress" data-testid="upload-overall" mb="xs" />
      <ScrollArea.Autosize mah={180}>
        <Stack gap={6}>
          {items.map((i) => (
            <Group key={i.id} gap="xs" wrap="nowrap" data-testid="upload-item" data-state={i.state}>
              <Text size="xs" style={{ flex: '0 1 40%' }} truncate title={i.key}>
                {i.key}
              </Text>
              <Progress
                style={{ flex: 1 }}
                value={i.size ? (100 * (i.state === 'done' ? i.size : i.loaded)) / i.size : i.state === 'done' ? 100 : 0}
                color={color[i.state]}
                aria-label={`Progress of ${i.key}`}
              />
              {/* A failure says why (the server's message: a quota, object lock, ...). */}
              <Text size="xs" c={i.state === 'failed' ? 'red' : 'dimmed'} w={i.state === 'failed' ? 220 : 90} ta="right" title={i.error} truncate>
                {i.state === 'failed' ? `failed: ${i.error ?? 'unknown error'}` : i.state}
              </Text>
              <ActionIcon
                size="sm"
                variant="subtle"
                aria-label={`Cancel ${i.key}`}
                disabled={!(i.state === 'queued' || i.state === 'uploading')}
                onClick={() => onCancel(i.id)}
              >
                <IconX size={14} />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Card>
  );
}
