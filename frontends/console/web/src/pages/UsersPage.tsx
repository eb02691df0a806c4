import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { ApiError, Iam, type IamUser } from '../api';
import { formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';

// The error of a page whose list could not be loaded (403 when the caller's policies do not
// allow it), shown in place of the list.
export function LoadError({ error }: { error: unknown }) {
  if (!error) return null;
  const denied = error instanceof ApiError && error.status === 403;
  return (
    <Alert color={denied ? 'orange' : 'red'} title={denied ? 'Access denied' : 'Cannot load'} data-testid="load-error">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const u = await Iam.createUser(name.trim());
      notifyOk(`User ${u.name} created`);
      setName('');
      onClose();
      navigate(`/users/${encodeURIComponent(u.name)}`);
    } catch (err) {
      notifyError(err, 'Cannot create user');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Create user">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="User name"
            description="1-64 characters: letters, digits and + = , . @ _ -"
            required
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
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

export function UsersPage() {
  const [users, setUsers] = useState<IamUser[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(() => {
    Iam.users()
      .then((r) => {
        setUsers(r.users);
        setError(null);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          Create user
        </Button>
      </Group>
      <LoadError error={error} />
      {users && (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Groups</Table.Th>
                <Table.Th>Policies</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((u) => (
                <Table.Tr key={u.name} data-testid="user-row" data-name={u.name}>
                  <Table.Td>
                    <Anchor component={Link} to={`/users/${encodeURIComponent(u.name)}`} fw={500}>
                      {u.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light" color={u.enabled ? 'teal' : 'gray'}>
                        {u.enabled ? 'enabled' : 'disabled'}
                      </Badge>
                      {u.hasPassword && <Badge variant="light">console</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{u.groups.join(', ') || '—'}</Table.Td>
                  <Table.Td>{u.policies.join(', ') || '—'}</Table.Td>
                  <Table.Td>{formatDate(u.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
              {users.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="lg">
                      No users yet. The root credentials of the configuration can always log in.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateUserModal opened={creating} onClose={() => { setCreating(false); load(); }} />
    </Stack>
  );
}
