import { Anchor, Button, Card, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { Iam, type ManagedPolicy } from '../api';
import { PolicyEditor } from '../components/PolicyEditor';
import { formatDate } from '../format';
import { notifyError, notifyOk } from '../notify';
import { formatPolicy, policyTemplate } from '../policyValidation';
import { LoadError } from './UsersPage';

// Creates a managed policy (route /new-policy) or edits one (/policies/:name). Save stays
// disabled while the document does not validate.
export function PolicyPage() {
  const { name: existing } = useParams();
  const navigate = useNavigate();
  const [policy, setPolicy] = useState<ManagedPolicy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [document, setDocument] = useState(existing ? '' : policyTemplate('identity'));
  const [valid, setValid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    if (!existing) return;
    Iam.policy(existing)
      .then((p) => {
        setPolicy(p);
        setDocument(formatPolicy(p.document ?? ''));
      })
      .catch(setError);
  }, [existing]);
  const save = async () => {
    setBusy(true);
    try {
      if (existing) {
        setPolicy(await Iam.updatePolicy(existing, document));
        notifyOk(`Policy ${existing} saved`);
      } else {
        const p = await Iam.createPolicy(name.trim(), document, description);
        notifyOk(`Policy ${p.name} created`);
        navigate(`/policies/${encodeURIComponent(p.name)}`);
      }
    } catch (e) {
      notifyError(e, 'Cannot save policy');
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try {
      await Iam.deletePolicy(existing ?? '');
      notifyOk(`Policy ${existing} deleted`);
      navigate('/policies');
    } catch (e) {
      notifyError(e, 'Cannot delete policy');
      setDeleting(false);
    }
  };
  if (existing && !policy) {
    return (
      <Stack>
        <Anchor component={Link} to="/policies" size="sm">
          ← Policies
        </Anchor>
        <LoadError error={error} />
      </Stack>
    );
  }
  return (
    <Stack maw={900}>
      <Anchor component={Link} to="/policies" size="sm">
        ← Policies
      </Anchor>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>{existing ? existing : 'New policy'}</Title>
          {policy && (
            <Text size="xs" c="dimmed">
              {policy.arn} · attached {policy.attachments} times · updated {formatDate(policy.updatedAt)}
            </Text>
          )}
        </Stack>
        {existing && (
          <Button color="red" variant="light" onClick={() => setDeleting(true)}>
            Delete…
          </Button>
        )}
      </Group>
      <Card withBorder>
        <Stack>
          {!existing && (
            <Group grow align="flex-start">
              <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} description="Letters, digits and + = , . @ _ -" />
              <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            </Group>
          )}
          {policy?.description && <Text size="sm">{policy.description}</Text>}
          <PolicyEditor value={document} onChange={setDocument} kind="identity" onValidity={setValid} />
          <Group justify="space-between">
            <Button variant="default" size="xs" onClick={() => setDocument(formatPolicy(document))}>
              Format
            </Button>
            <Button onClick={save} loading={busy} disabled={!valid || (!existing && name.trim() === '')}>
              {existing ? 'Save' : 'Create policy'}
            </Button>
          </Group>
        </Stack>
      </Card>
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete policy">
        <Stack>
          <Text size="sm">
            Delete <b>{existing}</b>? A policy still attached to a user or group cannot be deleted: detach it first.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={remove}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
