import { Alert, Card, Code, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';

import { Api, type Info } from '../api';
import { formatBytes, formatDate, formatDuration } from '../format';

export function SettingsPage() {
  const [entries, setEntries] = useState<{ key: string; value: string }[]>([]);
  const [info, setInfo] = useState<Info | null>(null);
  const [configError, setConfigError] = useState('');
  useEffect(() => {
    Api.config()
      .then((r) => setEntries(r.entries))
      .catch((e) => setConfigError(e instanceof Error ? e.message : String(e)));
    Api.info().then(setInfo).catch(() => undefined);
  }, []);
  return (
    <Stack>
      <Title order={2}>Settings</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Text fw={600} mb="xs">
            About
          </Text>
          {info && (
            <Table withRowBorders={false} verticalSpacing={4}>
              <Table.Tbody>
                {(
                  [
                    ['Version', info.version],
                    ['Started', formatDate(info.startedAt)],
                    ['Uptime', formatDuration(info.uptimeSeconds)],
                    ['Region', info.region],
                    ['S3 port', String(info.s3Port)],
                    ['Logged in as', info.user],
                    ['Disk', info.disk ? `${formatBytes(info.disk.freeBytes)} free of ${formatBytes(info.disk.totalBytes)}` : '—'],
                  ] as [string, string][]
                ).map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td w={140} c="dimmed">
                      {k}
                    </Table.Td>
                    <Table.Td>{v}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        <Card withBorder>
          <Text fw={600} mb="xs">
            Effective configuration
          </Text>
          <Text size="xs" c="dimmed" mb="xs">
            After flags, environment and config file; secrets are hidden. Change them where they are set and restart.
          </Text>
          {configError && <Alert color="orange">{configError}</Alert>}
          <Table verticalSpacing={4} data-testid="config-table">
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.key}>
                  <Table.Td>
                    <Code>{e.key}</Code>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{e.value || <Text c="dimmed" span size="sm">(empty)</Text>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
