import { Alert, Badge, Button, Card, Group, Stack, Switch, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';

import { ApiError, Iam, type PublicAccessBlock } from '../api';
import { PolicyEditor } from '../components/PolicyEditor';
import { notifyError, notifyOk } from '../notify';
import { formatPolicy, policyTemplate } from '../policyValidation';

function deniedText(e: unknown): string | null {
  return e instanceof ApiError && e.status === 403 ? e.message : null;
}

// The bucket policy: shown and edited in the validating editor; saved only when valid.
export function BucketPolicyCard({ bucket }: { bucket: string }) {
  const [document, setDocument] = useState('');
  const [stored, setStored] = useState<string | null>(null);
  const [isPublic, setPublic] = useState<boolean | undefined>(undefined);
  const [valid, setValid] = useState(false);
  const [denied, setDenied] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    Iam.bucketPolicy(bucket)
      .then((p) => {
        setStored(p.document);
        setDocument(formatPolicy(p.document));
        setPublic(p.public);
        setDenied(null);
      })
      .catch((e) => {
        if (e instanceof ApiError && e.code === 'NoSuchBucketPolicy') {
          setStored(null);
          setDocument('');
          setPublic(undefined);
        } else {
          setDenied(deniedText(e) ?? (e instanceof Error ? e.message : String(e)));
        }
      });
  }, [bucket]);
  useEffect(load, [load]);
  const save = async () => {
    setBusy(true);
    try {
      await Iam.putBucketPolicy(bucket, document);
      notifyOk('Bucket policy saved');
      load();
    } catch (e) {
      notifyError(e, 'Cannot save bucket policy');
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try {
      await Iam.deleteBucketPolicy(bucket);
      notifyOk('Bucket policy deleted');
      load();
    } catch (e) {
      notifyError(e, 'Cannot delete bucket policy');
    }
  };
  return (
    <Card withBorder data-testid="bucket-policy-card">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Bucket policy</Text>
          {stored !== null && isPublic !== undefined && (
            <Badge color={isPublic ? 'orange' : 'gray'} variant="light">
              {isPublic ? 'public' : 'not public'}
            </Badge>
          )}
        </Group>
        {denied ? (
          <Alert color="orange">{denied}</Alert>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              Who else may do what in this bucket: other users by ARN, or anyone with Principal &quot;*&quot; (public access,
              unless the public access block below forbids it).
            </Text>
            {stored === null && document === '' ? (
              <Group>
                <Text size="sm">No bucket policy.</Text>
                <Button size="xs" variant="default" onClick={() => setDocument(policyTemplate('bucket', bucket))}>
                  Write one
                </Button>
              </Group>
            ) : (
              <>
                <PolicyEditor value={document} onChange={setDocument} kind="bucket" bucket={bucket} onValidity={setValid} label="Bucket policy document" />
                <Group justify="space-between">
                  <Group gap="xs">
                    <Button variant="default" size="xs" onClick={() => setDocument(formatPolicy(document))}>
                      Format
                    </Button>
                    {stored !== null && (
                      <Button variant="light" color="red" size="xs" onClick={remove}>
                        Delete policy
                      </Button>
                    )}
                  </Group>
                  <Button onClick={save} loading={busy} disabled={!valid}>
                    Save policy
                  </Button>
                </Group>
              </>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

const SETTINGS: [keyof Omit<PublicAccessBlock, 'configured'>, string, string][] = [
  ['blockPublicAcls', 'Block public ACLs', 'Refuse new ACLs that grant access to everyone.'],
  ['ignorePublicAcls', 'Ignore public ACLs', 'Existing public ACL grants give nothing.'],
  ['blockPublicPolicy', 'Block public bucket policies', 'Refuse a bucket policy that grants access to everyone.'],
  ['restrictPublicBuckets', 'Restrict public buckets', 'A public bucket policy gives anonymous callers nothing.'],
];

export function PublicAccessBlockCard({ bucket }: { bucket: string }) {
  const [cfg, setCfg] = useState<PublicAccessBlock | null>(null);
  const [denied, setDenied] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const load = useCallback(() => {
    Iam.publicAccessBlock(bucket)
      .then((c) => {
        setCfg(c);
        setDirty(false);
        setDenied(null);
      })
      .catch((e) => setDenied(deniedText(e) ?? (e instanceof Error ? e.message : String(e))));
  }, [bucket]);
  useEffect(load, [load]);
  const save = async () => {
    if (!cfg) return;
    try {
      setCfg(await Iam.putPublicAccessBlock(bucket, cfg));
      setDirty(false);
      notifyOk('Public access block saved');
    } catch (e) {
      notifyError(e, 'Cannot save public access block');
    }
  };
  return (
    <Card withBorder data-testid="public-access-card">
      <Stack>
        <Text fw={600}>Public access block</Text>
        {denied && <Alert color="orange">{denied}</Alert>}
        {cfg && (
          <>
            {SETTINGS.map(([key, label, hint]) => (
              <Switch
                key={key}
                label={label}
                description={hint}
                checked={cfg[key]}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setCfg({ ...cfg, [key]: on });
                  setDirty(true);
                }}
              />
            ))}
            <Group justify="flex-end">
              <Button onClick={save} disabled={!dirty}>
                Save
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
