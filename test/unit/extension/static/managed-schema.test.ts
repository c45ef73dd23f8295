import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AZURE_CLOUD_NAMES } from '../../../../shared/resource-id';

/** The policy schema is static JSON the browser reads: it cannot import the list, so this binds it to it. */
describe('managed-schema.json', () => {
  const schema = JSON.parse(readFileSync('extension/static/managed-schema.json', 'utf8'));

  it('offers exactly the clouds of AZURE_CLOUD_NAMES', () => {
    expect(schema.properties.cloud.enum).toEqual([...AZURE_CLOUD_NAMES]);
    for (const cloud of AZURE_CLOUD_NAMES) expect(schema.properties.cloud.description).toContain(cloud);
  });
});
