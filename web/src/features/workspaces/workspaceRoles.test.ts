// Unit tests for the workspace role rules the settings page mirrors.
import { describe, expect, it } from 'vitest';
import { assignableRoles, canChangeMember, canDeleteWorkspace, canManage } from './workspaceRoles';

describe('workspace roles', () => {
  it('lets owners and admins manage, and only owners delete', () => {
    expect([canManage('owner'), canManage('admin'), canManage('member')]).toEqual([true, true, false]);
    expect([canDeleteWorkspace('owner'), canDeleteWorkspace('admin')]).toEqual([true, false]);
  });

  it('keeps owners for owners to make and change', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'member']);
    expect(assignableRoles('admin')).toEqual(['admin', 'member']);
    expect(assignableRoles('member')).toEqual([]);
    expect(canChangeMember('admin', 'owner')).toBe(false);
    expect(canChangeMember('admin', 'member')).toBe(true);
    expect(canChangeMember('owner', 'owner')).toBe(true);
    expect(canChangeMember('member', 'member')).toBe(false);
  });
});
