import {
  ActionIcon,
  AppShell,
  Burger,
  Center,
  Group,
  Loader,
  NavLink,
  Text,
  Title,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';

import { Api, setCsrfToken, setUnauthenticatedHandler, type Session } from './api';
import { navItems } from './nav';
import { BrowserPage } from './pages/BrowserPage';
import { BucketSettingsPage } from './pages/BucketSettingsPage';
import { BucketsPage } from './pages/BucketsPage';
import { DashboardPage } from './pages/DashboardPage';
import { GroupPage } from './pages/GroupPage';
import { GroupsPage } from './pages/GroupsPage';
import { LoginPage } from './pages/LoginPage';
import { ObjectPage } from './pages/ObjectPage';
import { PoliciesPage } from './pages/PoliciesPage';
import { PolicyPage } from './pages/PolicyPage';
import { SettingsPage } from './pages/SettingsPage';
import { UserPage } from './pages/UserPage';
import { UsersPage } from './pages/UsersPage';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const navigate = useNavigate();

  const applySession = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? '');
    setSession(s);
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => applySession(null));
    Api.me()
      .then(applySession)
      .catch(() => applySession(null));
  }, [applySession]);

  if (session === undefined) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (session === null) {
    return <LoginPage onLogin={applySession} />;
  }
  const logout = async () => {
    await Api.logout().catch(() => undefined);
    applySession(null);
    navigate('/');
  };
  return <Shell session={session} onLogout={logout} />;
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const user = session.user;
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  useEffect(close, [location.pathname, close]);
  const nav = navItems(session, location.pathname);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={4}>MaxIOFS</Title>
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed" visibleFrom="xs" data-testid="session-user">
              {user}
              {session.kind === 'root' ? ' (root)' : ''}
            </Text>
            <Tooltip label="Toggle dark mode">
              <ActionIcon
                variant="default"
                aria-label="Toggle dark mode"
                onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
              >
                {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Log out">
              <ActionIcon variant="default" aria-label="Log out" onClick={onLogout}>
                <IconLogout size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {nav.map((n) => (
          <NavLink
            key={n.to}
            component={Link}
            to={n.to}
            label={n.label}
            active={n.active}
            leftSection={<n.icon size={18} />}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/buckets" element={<BucketsPage />} />
          <Route path="/buckets/:bucket" element={<BrowserPage />} />
          <Route path="/buckets/:bucket/object" element={<ObjectPage />} />
          <Route path="/buckets/:bucket/settings" element={<BucketSettingsPage />} />
          <Route path="/users" element={<UsersPage />} />
          <Route path="/users/:user" element={<UserPage />} />
          <Route path="/groups" element={<GroupsPage />} />
          <Route path="/groups/:group" element={<GroupPage />} />
          <Route path="/policies" element={<PoliciesPage />} />
          <Route path="/policies/:name" element={<PolicyPage />} />
          <Route path="/new-policy" element={<PolicyPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
