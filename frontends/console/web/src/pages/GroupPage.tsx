import { Anchor, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';

import { Iam, type IamGroup } from '../api';
import { formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';
import { LoadError } from './UsersPage';

function NameList({ names, link, action, onAction, testId }: { names: string[]; link: (n: string) => string; action: string; onAction: (n: string) => void; testId: string }) {
  return (
    <Table verticalSpacing={4}>
      <Table.Tbody>
        {names.map((n) => (
          <Table.Tr key={n} data-testid={testId} data-name={n}>
            <Table.Td>
              <Anchor component={Link} to={link(n)}>
                {n}
              </Anchor>
            </Table.Td>
            <Table.Td align="right">
              <Button size="xs" variant="default" onClick={() => onAction(n)}>
                {action}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function GroupPage() {
  const { group = '' } = useParams();
  const [info, setInfo] = useState<IamGroup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [users, setUsers] = useState<string[]>([]);
  const [policies, setPolicies] = useState<string[]>([]);
  const [user, setUser] = useState<string | null>(null);
  const [policy, setPolicy] = useState<string | null>(null);
  const load = useCallback(() => {
    Iam.group(group)
      .then((g) => {
        setInfo(g);
        setError(null);
      })
      .catch(setError);
    Iam.users()
      .then((r) => setUsers(r.users.map((u) => u.name)))
      .catch(() => setUsers([]));
    Iam.policies()
      .then((r) => setPolicies(r.policies.map((p) => p.name)))
      .catch(() => setPolicies([]));
  }, [group]);
  useEffect(load, [load]);
  const act = async (what: () => Promise<unknown>, ok: string, fail: string) => {
    try {
      await what();
      notifyOk(ok);
    } catch (e) {
      notifyError(e, fail);
    }
    load();
  };
  return (
    <Stack maw={800}>
      <Anchor component={Link} to="/groups" size="sm">
        ← Groups
      </Anchor>
      <LoadError error={error} />
      {info && (
        <>
          <Stack gap={0}>
            <Title order={2}>{info.name}</Title>
            <Text size="xs" c="dimmed">
              {info.arn} · created {formatDate(info.createdAt)}
            </Text>
          </Stack>
          <Card withBorder>
            <Stack>
              <Text fw={600}>Members</Text>
              <NameList names={info.members} link={(n) => `/users/${encodeURIComponent(n)}`} action="Remove" testId="member-row" onAction={(n) => act(() => Iam.removeMember(group, n), `Removed ${n}`, 'Cannot remove member')} />
              {info.members.length === 0 && <Text size="sm" c="dimmed">No members.</Text>}
              <Group align="flex-end">
                <Select label="Add user" data={users.filter((u) => !info.members.includes(u))} value={user} onChange={setUser} searchable w={260} />
                <Button variant="default" disabled={!user} onClick={() => user && act(() => Iam.addMember(group, user), `Added ${user}`, 'Cannot add member').then(() => setUser(null))}>
                  Add
                </Button>
              </Group>
            </Stack>
          </Card>
          <Card withBorder>
            <Stack>
              <Text fw={600}>Attached policies</Text>
              <NameList names={info.policies} link={(n) => `/policies/${encodeURIComponent(n)}`} action="Detach" testId="group-policy-row" onAction={(n) => act(() => Iam.detachGroupPolicy(group, n), `Detached ${n}`, 'Cannot detach policy')} />
              {info.policies.length === 0 && <Text size="sm" c="dimmed">No policy attached.</Text>}
              <Group align="flex-end">
                <Select label="Attach policy" data={policies.filter((p) => !info.policies.includes(p))} value={policy} onChange={setPolicy} searchable w={260} />
                <Button variant="default" disabled={!policy} onClick={() => policy && act(() => Iam.attachGroupPolicy(group, policy), `Attached ${policy}`, 'Cannot attach policy').then(() => setPolicy(null))}>
                  Attach
                </Button>
              </Group>
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  );
}
