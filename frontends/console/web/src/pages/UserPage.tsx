import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCopy, IconKey, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { Iam, type AccessKey, type IamUser } from '../api';
import { formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';
import { LoadError } from './UsersPage';

// Runs an action, says so, and reloads; failures (403 included) become a notification.
async function act(what: () => Promise<unknown>, ok: string, failTitle: string, reload: () => void) {
  try {
    await what();
    notifyOk(ok);
  } catch (e) {
    notifyError(e, failTitle);
  }
  reload();
}

function NewKeyModal({ created, onClose }: { created: AccessKey | null; onClose: () => void }) {
  return (
    <Modal opened={created !== null} onClose={onClose} title="Access key created" size="lg">
      {created && (
        <Stack>
          <Text size="sm">The secret key is shown only now. Copy it somewhere safe: it cannot be shown again.</Text>
          {(
            [
              ['Access key', created.accessKey, 'new-access-key'],
              ['Secret key', created.secretKey ?? '', 'new-secret-key'],
            ] as const
          ).map(([label, value, id]) => (
            <Group key={label} gap="xs" wrap="nowrap">
              <TextInput label={label} value={value} readOnly style={{ flex: 1 }} data-testid={id} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
              <CopyButton value={value}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`}>
                    <ActionIcon variant="default" mt={24} onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
                      <IconCopy size={16} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          ))}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function DeleteUserModal({ user, opened, onClose }: { user: string; opened: boolean; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const navigate = useNavigate();
  const submit = async () => {
    try {
      await Iam.deleteUser(user, true);
      notifyOk(`User ${user} deleted`);
      navigate('/users');
    } catch (e) {
      notifyError(e, 'Cannot delete user');
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Delete user">
      <Stack>
        <Text size="sm">
          This deletes <b>{user}</b> with its access keys, console password, group memberships and attached policies.
          Type the name to confirm.
        </Text>
        <TextInput aria-label="User name to confirm" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" disabled={typed !== user} onClick={submit}>
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function UserPage() {
  const { user = '' } = useParams();
  const [info, setInfo] = useState<IamUser | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [keys, setKeys] = useState<AccessKey[]>([]);
  const [allGroups, setAllGroups] = useState<string[]>([]);
  const [allPolicies, setAllPolicies] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [group, setGroup] = useState<string | null>(null);
  const [policy, setPolicy] = useState<string | null>(null);
  const [created, setCreated] = useState<AccessKey | null>(null);
  const [deleting, setDeleting] = useState(false);
  const load = useCallback(() => {
    Iam.user(user)
      .then((u) => {
        setInfo(u);
        setError(null);
      })
      .catch(setError);
    Iam.keys(user)
      .then((r) => setKeys(r.keys))
      .catch(() => setKeys([]));
    Iam.groups()
      .then((r) => setAllGroups(r.groups.map((g) => g.name)))
      .catch(() => setAllGroups([]));
    Iam.policies()
      .then((r) => setAllPolicies(r.policies.map((p) => p.name)))
      .catch(() => setAllPolicies([]));
  }, [user]);
  useEffect(load, [load]);
  if (!info) {
    return (
      <Stack>
        <Anchor component={Link} to="/users" size="sm">
          ← Users
        </Anchor>
        <LoadError error={error} />
      </Stack>
    );
  }
  const createKey = async () => {
    try {
      setCreated(await Iam.createKey(user));
    } catch (e) {
      notifyError(e, 'Cannot create access key');
    }
    load();
  };
  return (
    <Stack maw={900}>
      <Anchor component={Link} to="/users" size="sm">
        ← Users
      </Anchor>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>{info.name}</Title>
          <Text size="xs" c="dimmed">
            {info.arn} · created {formatDate(info.createdAt)}
          </Text>
        </Stack>
        <Group>
          <Switch
            label={info.enabled ? 'Enabled' : 'Disabled'}
            checked={info.enabled}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              act(() => Iam.setUserEnabled(user, on), on ? 'User enabled' : 'User disabled', 'Cannot change the user', load);
            }}
            data-testid="user-enabled"
          />
          <Button color="red" variant="light" onClick={() => setDeleting(true)}>
            Delete…
          </Button>
        </Group>
      </Group>

      <Card withBorder>
        <Stack>
          <Group justify="space-between">
            <Text fw={600}>Console password</Text>
            <Badge variant="light" color={info.hasPassword ? 'teal' : 'gray'} data-testid="password-state">
              {info.hasPassword ? 'set' : 'none'}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            With a password, {info.name} can log in to this console with the user name; what they can do there is what their policies allow.
          </Text>
          <Group align="flex-end">
            <PasswordInput
              label={info.hasPassword ? 'New password' : 'Password'}
              description="8 to 128 characters"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
              w={280}
            />
            <Button
              disabled={password.length === 0}
              onClick={() =>
                act(() => Iam.setPassword(user, password), 'Password set', 'Cannot set password', () => {
                  setPassword('');
                  load();
                })
              }
            >
              Set password
            </Button>
            {info.hasPassword && (
              <Button variant="default" onClick={() => act(() => Iam.deletePassword(user), 'Password removed', 'Cannot remove password', load)}>
                Remove password
              </Button>
            )}
          </Group>
        </Stack>
      </Card>

      <Card withBorder>
        <Stack>
          <Group justify="space-between">
            <Text fw={600}>Access keys</Text>
            <Button size="xs" leftSection={<IconKey size={14} />} onClick={createKey}>
              Create access key
            </Button>
          </Group>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Access key</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.map((k) => (
                  <Table.Tr key={k.accessKey} data-testid="key-row" data-key={k.accessKey}>
                    <Table.Td>
                      <Code>{k.accessKey}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={k.status === 'Active' ? 'teal' : 'gray'}>
                        {k.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDate(k.createdAt)}</Table.Td>
                    <Table.Td>{k.lastUsed ? formatDate(k.lastUsed) : 'never'}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            const next = k.status === 'Active' ? 'Inactive' : 'Active';
                            act(() => Iam.setKeyStatus(user, k.accessKey, next), `Key ${next === 'Active' ? 'activated' : 'deactivated'}`, 'Cannot change the key', load);
                          }}
                        >
                          {k.status === 'Active' ? 'Deactivate' : 'Activate'}
                        </Button>
                        <Tooltip label="Delete key">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete key ${k.accessKey}`} onClick={() => act(() => Iam.deleteKey(user, k.accessKey), 'Key deleted', 'Cannot delete the key', load)}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {keys.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text c="dimmed" size="sm">
                        No access keys: the user cannot use the S3 API.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      </Card>

      <Card withBorder>
        <Stack>
          <Text fw={600}>Groups</Text>
          <Group gap="xs">
            {info.groups.map((g) => (
              <Badge key={g} variant="light" size="lg" rightSection={
                <ActionIcon size="xs" variant="transparent" aria-label={`Remove from ${g}`} onClick={() => act(() => Iam.removeMember(g, user), `Removed from ${g}`, 'Cannot remove from group', load)}>
                  ×
                </ActionIcon>
              }>
                <Anchor component={Link} to={`/groups/${encodeURIComponent(g)}`} size="sm" inherit>
                  {g}
                </Anchor>
              </Badge>
            ))}
            {info.groups.length === 0 && <Text size="sm" c="dimmed">In no group.</Text>}
          </Group>
          <Group align="flex-end">
            <Select label="Add to group" data={allGroups.filter((g) => !info.groups.includes(g))} value={group} onChange={setGroup} searchable w={260} />
            <Button variant="default" disabled={!group} onClick={() => group && act(() => Iam.addMember(group, user), `Added to ${group}`, 'Cannot add to group', () => { setGroup(null); load(); })}>
              Add
            </Button>
          </Group>
        </Stack>
      </Card>

      <Card withBorder>
        <Stack>
          <Text fw={600}>Attached policies</Text>
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {info.policies.map((p) => (
                <Table.Tr key={p} data-testid="attached-policy" data-name={p}>
                  <Table.Td>
                    <Anchor component={Link} to={`/policies/${encodeURIComponent(p)}`}>
                      {p}
                    </Anchor>
                  </Table.Td>
                  <Table.Td align="right">
                    <Button size="xs" variant="default" onClick={() => act(() => Iam.detachUserPolicy(user, p), `Detached ${p}`, 'Cannot detach policy', load)}>
                      Detach
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {info.policies.length === 0 && (
            <Text size="sm" c="dimmed">
              No policy attached: the user may do nothing (unless a group or bucket policy allows it).
            </Text>
          )}
          <Group align="flex-end">
            <Select label="Attach policy" data={allPolicies.filter((p) => !info.policies.includes(p))} value={policy} onChange={setPolicy} searchable w={260} />
            <Button variant="default" disabled={!policy} onClick={() => policy && act(() => Iam.attachUserPolicy(user, policy), `Attached ${policy}`, 'Cannot attach policy', () => { setPolicy(null); load(); })}>
              Attach
            </Button>
          </Group>
        </Stack>
      </Card>

      <NewKeyModal created={created} onClose={() => setCreated(null)} />
      <DeleteUserModal user={user} opened={deleting} onClose={() => setDeleting(false)} />
    </Stack>
  );
}
