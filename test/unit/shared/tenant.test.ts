import { describe, expect, it } from 'vitest';
import { isAuthorityTenant, isTenant } from '../../../shared/tenant';

describe('tenants', () => {
  it.each([
    '4c1e5d7a-2b3f-4a6c-8d9e-0f1a2b3c4d5e',
    '4C1E5D7A-2B3F-4A6C-8D9E-0F1A2B3C4D5E',
    'contoso.onmicrosoft.com',
    'contoso.com',
  ])('%s is a tenant', (value) => {
    expect(isTenant(value)).toBe(true);
    expect(isAuthorityTenant(value)).toBe(true);
  });

  it.each([
    '../../x',
    'a b',
    'x'.repeat(200),
    '',
    'contoso',
    'contoso.com/evil',
    'contoso.com?x',
    'organizations',
    'common',
  ])('%j is not a tenant', (value) => {
    expect(isTenant(value)).toBe(false);
  });

  it.each(['organizations', 'common'])('%s is an authority a setting may name', (value) => {
    expect(isAuthorityTenant(value)).toBe(true);
  });
});
