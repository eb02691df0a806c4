import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';

import { Api, ApiError, type Session } from '../api';

export function LoginPage({ onLogin }: { onLogin: (s: Session) => void }) {
  const [accessKey, setAccessKey] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await Api.login(accessKey, secretKey));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'Wrong access key or secret key.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="md" p="xl" w={380} maw="100%">
        <form onSubmit={submit}>
          <Stack>
            <Title order={2}>MaxIOFS Console</Title>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label="Access key"
              name="accessKey"
              autoComplete="username"
              required
              autoFocus
              value={accessKey}
              onChange={(e) => setAccessKey(e.currentTarget.value)}
            />
            <PasswordInput
              label="Secret key"
              name="secretKey"
              autoComplete="current-password"
              required
              value={secretKey}
              onChange={(e) => setSecretKey(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
