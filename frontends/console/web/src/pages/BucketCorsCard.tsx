import { Alert, Badge, Button, Card, Checkbox, Group, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';

import { ApiError, Cors } from '../api';
import { CORS_METHODS, fromForm, rulesProblems, templateRule, toForm, type CorsMethod, type CorsRuleForm } from '../corsRules';
import { notifyError, notifyOk } from '../notify';

function deniedText(e: unknown): string | null {
  return e instanceof ApiError && e.status === 403 ? e.message : null;
}

// One rule: methods, origins, headers, exposed headers, max age, ID.
function RuleEditor({
  index,
  form,
  problem,
  onChange,
  onRemove,
}: {
  index: number;
  form: CorsRuleForm;
  problem: string | null;
  onChange: (f: CorsRuleForm) => void;
  onRemove: () => void;
}) {
  return (
    <Card withBorder padding="sm" data-testid={`cors-rule-${index + 1}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={500} size="sm">
            Rule {index + 1}
          </Text>
          <Button size="xs" variant="subtle" color="red" onClick={onRemove}>
            Remove
          </Button>
        </Group>
        <Checkbox.Group
          label="Allowed methods"
          value={form.methods}
          onChange={(v) => onChange({ ...form, methods: CORS_METHODS.filter((m) => v.includes(m)) as CorsMethod[] })}
        >
          <Group gap="md" mt={4}>
            {CORS_METHODS.map((m) => (
              <Checkbox key={m} value={m} label={m} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group grow align="flex-start">
          <Textarea
            label="Allowed origins"
            description="One per line; one * each (https://*.example.com, or * for any site)"
            autosize
            minRows={2}
            value={form.origins}
            onChange={(e) => onChange({ ...form, origins: e.currentTarget.value })}
          />
          <Textarea
            label="Allowed request headers"
            description="One per line; * allows any"
            autosize
            minRows={2}
            value={form.allowedHeaders}
            onChange={(e) => onChange({ ...form, allowedHeaders: e.currentTarget.value })}
          />
          <Textarea
            label="Headers scripts may read"
            description="One per line, e.g. ETag"
            autosize
            minRows={2}
            value={form.exposeHeaders}
            onChange={(e) => onChange({ ...form, exposeHeaders: e.currentTarget.value })}
          />
        </Group>
        <Group grow>
          <NumberInput
            label="Max age (seconds)"
            description="How long browsers may reuse a preflight answer"
            min={0}
            allowDecimal={false}
            value={form.maxAge}
            onChange={(v) => onChange({ ...form, maxAge: v })}
          />
          <TextInput label="ID (optional)" value={form.id} onChange={(e) => onChange({ ...form, id: e.currentTarget.value })} />
        </Group>
        {problem && (
          <Text size="sm" c="red" data-testid="cors-rule-problem">
            {problem}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

// The bucket's CORS rules: which other web sites' scripts may use the bucket from a browser.
export function BucketCorsCard({ bucket }: { bucket: string }) {
  const [forms, setForms] = useState<CorsRuleForm[] | null>(null);
  const [configured, setConfigured] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [denied, setDenied] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    Cors.get(bucket)
      .then((c) => {
        setForms(c.rules.map(toForm));
        setConfigured(c.configured ?? c.rules.length > 0);
        setDirty(false);
        setDenied(null);
        setServerError(null);
      })
      .catch((e) => setDenied(deniedText(e) ?? (e instanceof Error ? e.message : String(e))));
  }, [bucket]);
  useEffect(load, [load]);
  if (denied) {
    return (
      <Card withBorder data-testid="cors-card">
        <Stack>
          <Text fw={600}>CORS</Text>
          <Alert color="orange">{denied}</Alert>
        </Stack>
      </Card>
    );
  }
  if (!forms) return null;
  const problems = rulesProblems(forms);
  const valid = problems.overall === null && problems.perRule.every((p) => p === null);
  const edit = (next: CorsRuleForm[]) => {
    setForms(next);
    setDirty(true);
    setServerError(null);
  };
  const save = async () => {
    setBusy(true);
    try {
      const c = await Cors.put(bucket, forms.map(fromForm));
      setForms(c.rules.map(toForm));
      setConfigured(true);
      setDirty(false);
      notifyOk('CORS rules saved');
    } catch (e) {
      setServerError(e instanceof Error ? e.message : String(e));
      notifyError(e, 'Cannot save CORS rules');
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try {
      await Cors.remove(bucket);
      notifyOk('CORS rules deleted');
      load();
    } catch (e) {
      notifyError(e, 'Cannot delete CORS rules');
    }
  };
  return (
    <Card withBorder data-testid="cors-card">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>CORS</Text>
          <Badge color={configured ? 'blue' : 'gray'} variant="light">
            {configured ? `${forms.length} rule${forms.length === 1 ? '' : 's'}` : 'no rules'}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Which other web sites may use this bucket from a browser (fetch, uploads, form posts). The first rule that
          matches a request&apos;s origin, method and headers answers it. Without rules, browsers refuse cross-origin
          requests (unless the server&apos;s default, server.cors_allowed_origins, allows the origin).
        </Text>
        {forms.map((f, i) => (
          <RuleEditor
            key={i}
            index={i}
            form={f}
            problem={problems.perRule[i]}
            onChange={(next) => edit(forms.map((x, j) => (j === i ? next : x)))}
            onRemove={() => edit(forms.filter((_, j) => j !== i))}
          />
        ))}
        {serverError && (
          <Alert color="red" data-testid="cors-server-error">
            {serverError}
          </Alert>
        )}
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={() => edit([...forms, templateRule()])} disabled={forms.length >= 100}>
              Add rule
            </Button>
            {configured && (
              <Button variant="light" color="red" size="xs" onClick={remove}>
                Delete all rules
              </Button>
            )}
          </Group>
          <Button onClick={save} loading={busy} disabled={!dirty || !valid || forms.length === 0}>
            Save CORS rules
          </Button>
        </Group>
        {dirty && problems.overall && forms.length > 0 && (
          <Text size="sm" c="red">
            {problems.overall}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
