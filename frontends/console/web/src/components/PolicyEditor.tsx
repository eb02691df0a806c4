import { Group, Text, Textarea } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconLoader2 } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';

import { Iam, type PolicyKind } from '../api';
import { PolicyValidator, type Validation } from '../policyValidation';

// A JSON editor for a policy document that validates as you type: syntax at once, the policy
// itself with the server's validator once typing pauses. The error shows under the text;
// `onValidity` tells the parent whether the document may be saved.
export function PolicyEditor({
  value,
  onChange,
  kind,
  bucket,
  onValidity,
  label = 'Policy document',
}: {
  value: string;
  onChange: (text: string) => void;
  kind: PolicyKind;
  bucket?: string;
  onValidity: (valid: boolean) => void;
  label?: string;
}) {
  const [validation, setValidation] = useState<Validation>({ state: 'checking', message: '' });
  const validator = useRef<PolicyValidator | null>(null);
  const report = useRef(onValidity);
  report.current = onValidity;

  useEffect(() => {
    const v = new PolicyValidator(
      (text) => Iam.validate(text, kind, kind === 'bucket' ? bucket : undefined),
      (r) => {
        setValidation(r);
        report.current(r.state === 'valid');
      },
    );
    validator.current = v;
    return () => v.dispose();
  }, [kind, bucket]);

  useEffect(() => {
    validator.current?.update(value);
  }, [value, kind, bucket]);

  const invalid = validation.state === 'invalid' || validation.state === 'empty';
  return (
    <div>
      <Textarea
        label={label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={10}
        maxRows={30}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        error={invalid ? ' ' : undefined}
        data-testid="policy-document"
      />
      <Group gap={6} mt={6} wrap="nowrap" align="flex-start" data-testid="policy-validation" data-state={validation.state}>
        {validation.state === 'checking' && <IconLoader2 size={16} />}
        {validation.state === 'valid' && <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" />}
        {invalid && <IconAlertCircle size={16} color="var(--mantine-color-red-6)" />}
        <Text size="sm" c={invalid ? 'red' : validation.state === 'valid' ? 'teal' : 'dimmed'} data-testid="policy-error" style={{ whiteSpace: 'pre-wrap' }}>
          {validation.state === 'checking' ? 'Checking…' : validation.state === 'valid' ? 'Valid policy' : validation.message}
        </Text>
      </Group>
    </div>
  );
}
