import { describe, expect, it } from 'vitest';

import type { Session } from './api';
import { navItems } from './nav';

const session = (over: Partial<Session>): Session => ({ user: 'u', kind: 'user', csrfToken: '', expiresAt: '', ...over });

describe('navItems', () => {
  it('shows the IAM pages to callers allowed to manage IAM', () => {
    const labels = navItems(session({ permissions: { iam: true, config: true } }), '/').map((n) => n.label);
    expect(labels).toEqual(['Dashboard', 'Buckets', 'Users', 'Groups', 'Policies', 'Settings']);
  });
  it('hides them from a limited user', () => {
    const labels = navItems(session({ permissions: { iam: false, config: false } }), '/').map((n) => n.label);
    expect(labels).toEqual(['Dashboard', 'Buckets', 'Settings']);
  });
  it('marks the active page, the policy editor under Policies', () => {
    const admin = session({ kind: 'root', permissions: { iam: true, config: true } });
    expect(navItems(admin, '/users/alice').find((n) => n.active)?.label).toBe('Users');
    expect(navItems(admin, '/new-policy').find((n) => n.active)?.label).toBe('Policies');
    expect(navItems(admin, '/buckets/b/settings').find((n) => n.active)?.label).toBe('Buckets');
  });
  it('defaults to the session kind when the server gave no permissions', () => {
    expect(navItems(session({ kind: 'root' }), '/').some((n) => n.label === 'Users')).toBe(true);
    expect(navItems(session({ kind: 'user' }), '/').some((n) => n.label === 'Users')).toBe(false);
  });
});
