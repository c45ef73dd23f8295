/** The options of the Azure commands, apart so `connect` can parse them without loading the Azure SDK. */
export const AZURE_OPTIONS = {
  'source-ip': { type: 'string' },
  'no-ip-lookup': { type: 'boolean' },
  'ip-lookup-url': { type: 'string' },
  port: { type: 'string' },
  private: { type: 'boolean' },
  via: { type: 'string' },
  json: { type: 'boolean' },
  token: { type: 'string' },
  'arm-endpoint': { type: 'string' },
  cloud: { type: 'string' },
  user: { type: 'string' },
  client: { type: 'string' },
  fix: { type: 'boolean' },
  'add-nsg-rule': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  all: { type: 'boolean' },
} as const;
