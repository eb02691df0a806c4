import { ActionIcon, Anchor, Button, Group, Modal, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { Iam, type IamGroup } from '../api';
import { formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';
import { LoadError } from './UsersPage';

export function GroupsPage() {
  const [groups, setGroups] = useState<IamGroup[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  const load = useCallback(() => {
    Iam.groups()
      .then((r) => {
        setGroups(r.groups);
        setError(null);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await Iam.createGroup(name.trim());
      notifyOk(`Group ${name.trim()} created`);
      setName('');
      setCreating(false);
    } catch (err) {
      notifyError(err, 'Cannot create group');
    }
    load();
  };
  const remove = async (g: string) => {
    setDeleting(null);
    try {
      await Iam.deleteGroup(g, true);
      notifyOk(`Group ${g} deleted`);
    } catch (err) {
      notifyError(err, 'Cannot delete group');
    }
    load();
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Groups</Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          Create group
        </Button>
      </Group>
      <LoadError error={error} />
      {groups && (
        <Table.ScrollContainer minWidth={520}>
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Members</Table.Th>
                <Table.Th>Policies</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.map((g) => (
                <Table.Tr key={g.name} data-testid="group-row" data-name={g.name}>
                  <Table.Td>
                    <Anchor component={Link} to={`/groups/${encodeURIComponent(g.name)}`} fw={500}>
                      {g.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{g.members.length}</Table.Td>
                  <Table.Td>{g.policies.join(', ') || '—'}</Table.Td>
                  <Table.Td>{formatDate(g.createdAt)}</Table.Td>
                  <Table.Td>
                    <Tooltip label="Delete">
                      <ActionIcon variant="subtle" color="red" aria-label={`Delete ${g.name}`} onClick={() => setDeleting(g.name)}>
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
              {groups.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="lg">
                      No groups yet.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete group">
        <Stack>
          <Text size="sm">
            Delete the group <b>{deleting}</b>? Its members stay; they lose the group&apos;s policies.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => deleting && remove(deleting)}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={creating} onClose={() => setCreating(false)} title="Create group">
        <form onSubmit={create}>
          <Stack>
            <TextInput label="Group name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button type="submit">Create</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
