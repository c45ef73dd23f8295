/** The Azure clouds: sign-in authority, ARM endpoint and token scope (the SDK's cloud setting changes only the endpoint). */
import type { AzureCloudName } from '../resource-id';

export interface Cloud {
  name: AzureCloudName;
  authorityHost: string;
  armEndpoint: string;
  scope: string;
}

export const CLOUDS: Readonly<Record<AzureCloudName, Cloud>> = {
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

/** Accepts the SDK names and the Azure CLI's (`AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`), any case. */
export function cloudByName(name: string): Cloud | null {
  const key = (Object.keys(CLOUDS) as AzureCloudName[]).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? CLOUDS[key] : null;
}
