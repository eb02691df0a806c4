import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { Iam, type ManagedPolicy } from '../api';
import { formatDate } from '../format';
import { LoadError } from './UsersPage';

export function PoliciesPage() {
  const [policies, setPolicies] = useState<ManagedPolicy[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    Iam.policies()
      .then((r) => setPolicies(r.policies))
      .catch(setError);
  }, []);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Policies</Title>
        <Button component={Link} to="/new-policy" leftSection={<IconPlus size={16} />}>
          Create policy
        </Button>
      </Group>
      <LoadError error={error} />
      {policies && (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Attached to</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {policies.map((p) => (
                <Table.Tr key={p.name} data-testid="policy-row" data-name={p.name}>
                  <Table.Td>
                    <Anchor component={Link} to={`/policies/${encodeURIComponent(p.name)}`} fw={500}>
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.description || '—'}</Table.Td>
                  <Table.Td>{p.attachments}</Table.Td>
                  <Table.Td>{formatDate(p.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
              {policies.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="lg">
                      No policies yet. A policy lists what its users and groups may do.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
