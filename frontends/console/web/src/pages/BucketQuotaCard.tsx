import { Alert, Button, Group, NumberInput, Progress, Select, Stack, Text, Card } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';

import { Api, ApiError, type BucketQuota } from '../api';
import { formatBytes } from '../format';
import { notifyError, notifyOk } from '../notify';

const UNITS: Record<string, number> = { MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

// A limit in the largest unit that shows it exactly (or GiB).
function splitBytes(n: number): [number, string] {
  for (const u of ['TiB', 'GiB', 'MiB']) if (n > 0 && n % UNITS[u] === 0) return [n / UNITS[u], u];
  return [n > 0 ? n / UNITS.GiB : 0, 'GiB'];
}

function UsageBar({ label, used, limit, format }: { label: string; used: number; limit: number; format: (n: number) => string }) {
  const pct = limit > 0 ? (used / limit) * 100 : 0;
  return (
    <Stack gap={2}>
      <Group justify="space-between">
        <Text size="sm">{label}</Text>
        <Text size="sm" c="dimmed" data-testid={`quota-${label.toLowerCase()}-text`}>
          {format(used)}
          {limit > 0 ? ` of ${format(limit)} (${pct.toFixed(pct < 10 ? 1 : 0)} %)` : ' (no limit)'}
        </Text>
      </Group>
      {limit > 0 && (
        <Progress
          value={Math.min(100, pct)}
          color={pct >= 100 ? 'red' : pct >= 80 ? 'yellow' : 'blue'}
          aria-label={`${label} used`}
          data-testid={`quota-${label.toLowerCase()}-bar`}
        />
      )}
    </Stack>
  );
}

// The bucket's quota (hard limits on bytes and object versions) with usage bars.
export function BucketQuotaCard({ bucket }: { bucket: string }) {
  const [q, setQ] = useState<BucketQuota | null>(null);
  const [denied, setDenied] = useState<string | null>(null);
  const [size, setSize] = useState<number | string>(0);
  const [unit, setUnit] = useState('GiB');
  const [objects, setObjects] = useState<number | string>(0);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    Api.quota(bucket)
      .then((d) => {
        setQ(d);
        const [n, u] = splitBytes(d.maxBytes);
        setSize(n);
        setUnit(u);
        setObjects(d.maxObjects);
        setDenied(null);
      })
      .catch((e) => setDenied(e instanceof ApiError && e.status === 403 ? e.message : String(e)));
  }, [bucket]);
  useEffect(load, [load]);
  const save = async (clear: boolean) => {
    setBusy(true);
    try {
      const d = clear
        ? await Api.deleteQuota(bucket)
        : await Api.putQuota(bucket, Math.round(Number(size) * UNITS[unit]), Math.round(Number(objects)));
      setQ(d);
      notifyOk(clear ? 'Quota removed' : 'Quota saved');
      load();
    } catch (e) {
      notifyError(e, 'Cannot save the quota');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid="quota-card">
      <Stack>
        <Text fw={600}>Quota and usage</Text>
        {denied ? (
          <Alert color="gray">{denied}</Alert>
        ) : q ? (
          <>
            <UsageBar label="Bytes" used={q.usage.quotaBytes} limit={q.maxBytes} format={formatBytes} />
            <UsageBar label="Objects" used={q.usage.quotaObjects} limit={q.maxObjects} format={(n) => n.toLocaleString()} />
            <Text size="xs" c="dimmed">
              Counted: every stored version ({q.usage.versions.toLocaleString()}, of which {q.usage.objects.toLocaleString()} current)
              and the parts of {q.usage.uploads} upload(s) in progress; {q.usage.deleteMarkers.toLocaleString()} delete
              marker(s); {formatBytes(q.usage.storedBytes)} on disk. A write that would pass a limit is refused
              (S3: 403 QuotaExceeded; the mount: EDQUOT).
            </Text>
            <Group align="flex-end" wrap="wrap">
              <NumberInput label="Maximum size" min={0} decimalScale={3} value={size} onChange={setSize} w={150} data-testid="quota-size" />
              <Select data={Object.keys(UNITS)} value={unit} onChange={(v) => setUnit(v ?? 'GiB')} allowDeselect={false} w={90} aria-label="Size unit" />
              <NumberInput label="Maximum objects" min={0} value={objects} onChange={setObjects} w={170} data-testid="quota-objects" />
              <Button onClick={() => save(false)} loading={busy} data-testid="quota-save">
                Save
              </Button>
              <Button variant="default" onClick={() => save(true)} disabled={busy || (q.maxBytes === 0 && q.maxObjects === 0)}>
                Remove limits
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              0 means no limit.
            </Text>
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
