import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { Api, type Bucket, type Info, type Stats } from '../api';
import { formatBytes, formatDuration } from '../format';

function StatCard({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={26} fw={700} data-testid={`stat-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

const time = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function ChartCard({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <div style={{ width: '100%', height: 200 }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </Card>
  );
}

export function DashboardPage() {
  const [info, setInfo] = useState<Info | null>(null);
  const [buckets, setBuckets] = useState<Bucket[] | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);

  const load = useCallback(() => {
    Api.info().then(setInfo).catch(() => undefined);
    Api.buckets()
      .then((r) => setBuckets(r.buckets))
      .catch(() => undefined);
    Api.stats(10).then(setStats).catch(() => undefined);
  }, []);
  useEffect(() => {
    load();
    const id = window.setInterval(load, 10000);
    return () => window.clearInterval(id);
  }, [load]);

  // Only the last 15 minutes, trimmed of the leading empty points of a fresh server.
  const series = (stats?.series ?? []).map((p) => ({
    ...p,
    errorRate: p.requests ? (100 * p.errors) / p.requests : 0,
  }));
  const haveUsage = buckets?.every((b) => b.objects !== undefined);
  const objects = haveUsage ? buckets!.reduce((s, b) => s + (b.objects ?? 0), 0) : undefined;
  const bytes = haveUsage ? buckets!.reduce((s, b) => s + (b.bytes ?? 0), 0) : undefined;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Dashboard</Title>
        {info && (
          <Text size="sm" c="dimmed">
            MaxIOFS {info.version} · up {formatDuration(info.uptimeSeconds)} · region {info.region}
          </Text>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <StatCard label="Buckets" value={buckets ? String(buckets.length) : '…'} />
        <StatCard label="Objects" value={objects !== undefined ? objects.toLocaleString() : '—'} />
        <StatCard label="Stored" value={bytes !== undefined ? formatBytes(bytes) : '—'} />
        <StatCard
          label="Disk free"
          value={info?.disk ? formatBytes(info.disk.freeBytes) : '—'}
          hint={info?.disk ? `of ${formatBytes(info.disk.totalBytes)}` : undefined}
        />
        <StatCard
          label="Requests"
          value={stats ? stats.totals.requests.toLocaleString() : '…'}
          hint="since start"
        />
        <StatCard label="Uptime" value={info ? formatDuration(info.uptimeSeconds) : '…'} hint={info?.version} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <ChartCard title="Requests per second">
          <AreaChart data={series}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            <XAxis dataKey="t" tickFormatter={time} minTickGap={40} fontSize={11} />
            <YAxis fontSize={11} width={40} />
            <Tooltip labelFormatter={(t) => time(Number(t))} formatter={(v: number) => v.toFixed(2)} />
            <Area type="monotone" dataKey="rate" name="req/s" stroke="#4c6ef5" fill="#4c6ef5" fillOpacity={0.25} isAnimationActive={false} />
          </AreaChart>
        </ChartCard>
        <ChartCard title="Error rate (5xx, %)">
          <AreaChart data={series}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            <XAxis dataKey="t" tickFormatter={time} minTickGap={40} fontSize={11} />
            <YAxis fontSize={11} width={40} />
            <Tooltip labelFormatter={(t) => time(Number(t))} formatter={(v: number) => `${v.toFixed(1)} %`} />
            <Area type="monotone" dataKey="errorRate" name="errors" stroke="#fa5252" fill="#fa5252" fillOpacity={0.25} isAnimationActive={false} />
          </AreaChart>
        </ChartCard>
        <ChartCard title="Latency (ms)">
          <LineChart data={series}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            <XAxis dataKey="t" tickFormatter={time} minTickGap={40} fontSize={11} />
            <YAxis fontSize={11} width={40} />
            <Tooltip labelFormatter={(t) => time(Number(t))} formatter={(v: number) => v.toFixed(2)} />
            <Line type="monotone" dataKey="avgLatencyMs" name="average" stroke="#12b886" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="maxLatencyMs" name="max" stroke="#fab005" dot={false} isAnimationActive={false} />
          </LineChart>
        </ChartCard>
      </SimpleGrid>
    </Stack>
  );
}
