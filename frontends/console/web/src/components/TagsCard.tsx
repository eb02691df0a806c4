import { ActionIcon, Alert, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';

import { ApiError } from '../api';
import { notifyError, notifyOk } from '../notify';
import { tagsProblem, type Tag } from '../tags';

// A tag set (of a bucket or an object version) with an editor: rows of key and value, checked
// as S3 checks them before they are saved. `testId` names the card for the e2e test.
export function TagsCard({
  title,
  testId,
  max,
  load,
  save,
}: {
  title: string;
  testId: string;
  max: number;
  load: () => Promise<Tag[]>;
  save: (tags: Tag[]) => Promise<Tag[]>;
}) {
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [dirty, setDirty] = useState(false);
  const [denied, setDenied] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = useCallback(() => {
    load()
      .then((t) => {
        setTags(t);
        setDirty(false);
        setDenied(null);
      })
      .catch((e) => setDenied(e instanceof ApiError && e.status === 403 ? e.message : e instanceof Error ? e.message : String(e)));
  }, [load]);
  useEffect(reload, [reload]);
  if (denied) {
    return (
      <Card withBorder data-testid={testId}>
        <Stack>
          <Text fw={600}>{title}</Text>
          <Alert color="orange">{denied}</Alert>
        </Stack>
      </Card>
    );
  }
  if (!tags) return null;
  const problem = tagsProblem(tags, max);
  const edit = (next: Tag[]) => {
    setTags(next);
    setDirty(true);
  };
  const store = async (next: Tag[]) => {
    setBusy(true);
    try {
      setTags(await save(next));
      setDirty(false);
      notifyOk(next.length ? 'Tags saved' : 'Tags removed');
    } catch (e) {
      notifyError(e, 'Cannot save the tags');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid={testId}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{title}</Text>
          <Text size="xs" c="dimmed">
            {tags.length} of at most {max}
          </Text>
        </Group>
        {tags.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="tags-none">
            No tags.
          </Text>
        )}
        {tags.map((t, i) => (
          <Group key={i} gap="xs" wrap="nowrap" data-testid="tag-row">
            <TextInput
              placeholder="Key"
              aria-label={`Tag ${i + 1} key`}
              value={t.key}
              onChange={(e) => edit(tags.map((x, j) => (j === i ? { ...x, key: e.currentTarget.value } : x)))}
              style={{ flex: 1 }}
            />
            <TextInput
              placeholder="Value"
              aria-label={`Tag ${i + 1} value`}
              value={t.value}
              onChange={(e) => edit(tags.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))}
              style={{ flex: 2 }}
            />
            <ActionIcon variant="subtle" color="red" aria-label={`Remove tag ${i + 1}`} onClick={() => edit(tags.filter((_, j) => j !== i))}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        {problem && (
          <Text size="sm" c="red" data-testid="tags-problem">
            {problem}
          </Text>
        )}
        <Group>
          <Button variant="default" size="xs" onClick={() => edit([...tags, { key: '', value: '' }])} disabled={tags.length >= max}>
            Add tag
          </Button>
          <Button size="xs" onClick={() => store(tags)} disabled={!dirty || problem !== null} loading={busy} data-testid="tags-save">
            Save tags
          </Button>
          {dirty && (
            <Button size="xs" variant="subtle" onClick={reload}>
              Discard changes
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
