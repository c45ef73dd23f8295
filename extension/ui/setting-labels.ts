/**
 * The options page's labels of the settings that the extension's other texts name, in one place: a sentence that
 * sends the user to a setting names it exactly as the options page shows it.
 */
export const SETTING_LABELS = {
  privateIp: 'Connect to private IP addresses',
  ipLookup: 'Look up my public IP address',
  sourceIp: 'My IP address (optional)',
  bastionAccess: 'Reach VMs through Azure Bastion',
  appRegistration: 'My organisation’s app registration',
  clientId: 'Application (client) id',
} as const;

/** A setting's label as a sentence quotes it. */
export function settingName(setting: keyof typeof SETTING_LABELS): string {
  return `"${SETTING_LABELS[setting]}"`;
}
