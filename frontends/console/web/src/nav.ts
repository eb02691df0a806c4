import {
  IconBucket,
  IconDashboard,
  IconFileCertificate,
  IconSettings,
  IconUser,
  IconUsersGroup,
} from '@tabler/icons-react';

import type { Session } from './api';

// The navigation a session gets: identity pages only for callers whose policies allow IAM
// (the pages still show a 403 gracefully if reached by their URL).
export function navItems(session: Session, pathname: string) {
  const iam = session.permissions?.iam ?? session.kind === 'root';
  const items = [
    { to: '/', label: 'Dashboard', icon: IconDashboard, active: pathname === '/' },
    { to: '/buckets', label: 'Buckets', icon: IconBucket, active: pathname.startsWith('/buckets') },
  ];
  if (iam) {
    items.push(
      { to: '/users', label: 'Users', icon: IconUser, active: pathname.startsWith('/users') },
      { to: '/groups', label: 'Groups', icon: IconUsersGroup, active: pathname.startsWith('/groups') },
      {
        to: '/policies',
        label: 'Policies',
        icon: IconFileCertificate,
        active: pathname.startsWith('/policies') || pathname === '/new-policy',
      },
    );
  }
  items.push({ to: '/settings', label: 'Settings', icon: IconSettings, active: pathname === '/settings' });
  return items;
}

