import { Alert, Anchor, Button, Card, Group, NumberInput, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { Api, Tags, type BucketDetails, type LockMode } from '../api';
import { TagsCard } from '../components/TagsCard';
import { MAX_BUCKET_TAGS, type Tag } from '../tags';
import { notifyError, notifyOk } from '../notify';
import { BucketPolicyCard, PublicAccessBlockCard } from './BucketAccessCards';
import { BucketQuotaCard } from './BucketQuotaCard';
import { LifecycleCard } from './LifecycleCard';
import { BucketCorsCard } from './BucketCorsCard';
import { DeleteBucketModal } from './BucketsPage';

export function BucketSettingsPage() {
  const { bucket = '' } = useParams();
  const navigate = useNavigate();
  const [b, setB] = useState<BucketDetails | null>(null);
  const [mode, setMode] = useState<LockMode>('NONE');
  const [period, setPeriod] = useState<number | string>(30);
  const [unit, setUnit] = useState<'days' | 'years'>('days');
  const [deleting, setDeleting] = useState(false);
  const tagsLoad = useCallback(() => Tags.bucket(bucket), [bucket]);
  const tagsSave = useMemo(() => (tags: Tag[]) => Tags.putBucket(bucket, tags), [bucket]);
  const load = useCallback(() => {
    Api.bucket(bucket)
      .then((d) => {
        setB(d);
        const r = d.objectLockConfig.defaultRetention;
        if (r) {
          setMode(r.mode);
          setPeriod(r.years || r.days || 30);
          setUnit(r.years ? 'years' : 'days');
        }
      })
      .catch((e) => notifyError(e));
  }, [bucket]);
  useEffect(load, [load]);
  if (!b) return null;
  const setVersioning = async (on: boolean) => {
    try {
      await Api.putVersioning(bucket, on ? 'Enabled' : 'Suspended');
      notifyOk(on ? 'Versioning enabled' : 'Versioning suspended');
      load();
    } catch (e) {
      notifyError(e, 'Cannot change versioning');
    }
  };
  const saveLock = async () => {
    try {
      const n = Number(period);
      await Api.putObjectLock(bucket, mode, mode !== 'NONE' && unit === 'days' ? n : undefined, mode !== 'NONE' && unit === 'years' ? n : undefined);
      notifyOk('Default retention saved');
      load();
    } catch (e) {
      notifyError(e, 'Cannot save default retention');
    }
  };
  return (
    <Stack maw={900}>
      <Anchor component={Link} to={`/buckets/${encodeURIComponent(bucket)}`} size="sm">
        ← Browse {bucket}
      </Anchor>
      <Title order={2}>Settings of {bucket}</Title>
      <Card withBorder>
        <Stack>
          <Text fw={600}>Versioning</Text>
          <Switch
            label={`Versioning ${b.versioning === 'Enabled' ? 'enabled' : b.versioning === 'Suspended' ? 'suspended' : 'off'}`}
            checked={b.versioning === 'Enabled'}
            disabled={b.objectLock}
            onChange={(e) => setVersioning(e.currentTarget.checked)}
            data-testid="versioning-switch"
          />
          {b.objectLock && (
            <Text size="sm" c="dimmed">
              Object lock keeps versioning enabled for good.
            </Text>
          )}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Text fw={600}>Object lock</Text>
          {!b.objectLock ? (
            <Alert color="gray">Object lock is off for this bucket; it can only be turned on when the bucket is created.</Alert>
          ) : (
            <Group align="flex-end" wrap="wrap">
              <Select label="Default retention" data={['NONE', 'GOVERNANCE', 'COMPLIANCE']} value={mode} onChange={(v) => setMode((v as LockMode) ?? 'NONE')} allowDeselect={false} w={170} />
              <NumberInput label="Period" min={1} max={36500} value={period} onChange={setPeriod} disabled={mode === 'NONE'} w={110} />
              <Select data={['days', 'years']} value={unit} onChange={(v) => setUnit((v as 'days' | 'years') ?? 'days')} allowDeselect={false} disabled={mode === 'NONE'} w={100} aria-label="Period unit" />
              <Button onClick={saveLock}>Save</Button>
            </Group>
          )}
        </Stack>
      </Card>
      <Card withBorder data-testid="bucket-logging-card">
        <Stack gap={4}>
          <Text fw={600}>Server access logging</Text>
          <Text size="sm" data-testid="bucket-logging-status">
            {b.logging?.enabled
              ? b.logging.targetBucket !== undefined
                ? `On: logs go to ${b.logging.targetBucket}/${b.logging.targetPrefix ?? ''}`
                : 'On'
              : 'Off'}
          </Text>
          <Text size="sm" c="dimmed">
            Set with S3's PutBucketLogging (for example aws s3api put-bucket-logging).
          </Text>
        </Stack>
      </Card>
      <BucketPolicyCard bucket={bucket} />
      <PublicAccessBlockCard bucket={bucket} />
      <BucketQuotaCard bucket={bucket} />
      <LifecycleCard bucket={bucket} />
      <BucketCorsCard bucket={bucket} />
      <TagsCard title="Bucket tags" testId="bucket-tags-card" max={MAX_BUCKET_TAGS} load={tagsLoad} save={tagsSave} />
      <Card withBorder>
        <Group justify="space-between">
          <Stack gap={0}>
            <Text fw={600} c="red">
              Delete bucket
            </Text>
            <Text size="sm" c="dimmed">
              Only an empty bucket can be deleted.
            </Text>
          </Stack>
          <Button color="red" variant="light" onClick={() => setDeleting(true)}>
            Delete…
          </Button>
        </Group>
      </Card>
      <DeleteBucketModal bucket={deleting ? bucket : null} onClose={() => setDeleting(false)} onDeleted={() => navigate('/buckets')} />
    </Stack>
  );
}
