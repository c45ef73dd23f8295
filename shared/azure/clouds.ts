/** The Azure clouds: sign-in authority, ARM endpoint and token scope (the SDK's cloud setting changes only the endpoint). */
import { AZURE_CLOUD_NAMES, type AzureCloudName } from '../resource-id';

export interface Cloud {
  name: AzureCloudName;
  authorityHost: string;
  armEndpoint: string;
  scope: string;
}

/** Keyed by AZURE_CLOUD_NAMES; each entry's `name` is its key (the type says so). */
export const CLOUDS: { readonly [N in AzureCloudName]: Cloud & { readonly name: N } } = {
  AzureCloud: {
    name: 'AzureCloud',
    authorityHost: 'login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com',
    scope: 'https://management.azure.com/.default',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    authorityHost: 'login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    scope: 'https://management.usgovcloudapi.net/.default',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    scope: 'https://management.chinacloudapi.cn/.default',
  },
};

/** Accepts the SDK names and the Azure CLI's (AZURE_CLOUD_NAMES), any case. */
export function cloudByName(name: string): Cloud | null {
  const key = AZURE_CLOUD_NAMES.find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? CLOUDS[key] : null;
}
