import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { permissionTableMarkdown, roleHasPermission, ROLES } from './roles.ts';

describe('roles and permissions', () => {
  it('docs/permissions.md holds exactly the table the code enforces', () => {
    const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
    assert.ok(
      doc.includes(permissionTableMarkdown()),
      'regenerate the table in docs/permissions.md from permissionTableMarkdown()',
    );
  });

  it('every role can manage its own account', () => {
    for (const role of ROLES) {
      assert.equal(roleHasPermission(role, 'account:self'), true, role);
    }
  });

  const cases: [
    (typeof ROLES)[number],
    'patient:read' | 'patient:write' | 'users:manage' | 'audit:read' | 'figures:read',
    boolean,
  ][] = [
    ['service-manager', 'patient:read', false],
    ['service-manager', 'figures:read', true],
    ['administrator', 'patient:read', false],
    ['administrator', 'users:manage', true],
    ['administrator', 'audit:read', true],
    ['consultant', 'patient:write', true],
    ['consultant', 'users:manage', false],
    ['booking-coordinator', 'patient:write', true],
    ['nurse-specialist', 'audit:read', false],
    ['physiotherapist', 'patient:read', true],
  ];
  for (const [role, permission, allowed] of cases) {
    it(`${role} ${allowed ? 'may' : 'may not'} ${permission}`, () => {
      assert.equal(roleHasPermission(role, permission), allowed);
    });
  }
});
