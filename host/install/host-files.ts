/** The contents `install` writes: host manifests and the wrapper that starts the host. Pure. */
import { FIREFOX_EXTENSION_ID, HOST_NAME, type HostPlatform } from '../../shared/protocol';

export interface HostManifest {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
  allowed_origins?: string[];
  allowed_extensions?: string[];
}

export function chromiumManifest(wrapperPath: string, extensionIds: readonly string[]): HostManifest {
  return {
    name: HOST_NAME,
    description: 'RDP now companion host',
    path: wrapperPath,
    type: 'stdio',
    allowed_origins: extensionIds.map((id) => `chrome-extension://${id}/`),
  };
}

export function firefoxManifest(wrapperPath: string): HostManifest {
  return {
    name: HOST_NAME,
    description: 'RDP now companion host',
    path: wrapperPath,
    type: 'stdio',
    allowed_extensions: [FIREFOX_EXTENSION_ID],
  };
}

/** UTF-8 without BOM, as browsers expect. */
export function manifestText(manifest: HostManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Chromium extension ids are 32 letters a–p. */
export function isExtensionId(id: string): boolean {
  return /^[a-p]{32}$/.test(id);
}

export function wrapperFileName(platform: HostPlatform): string {
  return platform === 'win32' ? 'rdp-now-host.cmd' : 'rdp-now-host';
}

/**
 * The wrapper names Node by absolute path: a browser started from the macOS Dock has a minimal PATH, so
 * `#!/usr/bin/env node` would not find it. On Windows, Chrome starts hosts through `cmd.exe`, so nothing
 * may be echoed: `@echo off` comes first.
 */
export function wrapperText(platform: HostPlatform, nodePath: string, hostEntry: string): string {
  if (platform === 'win32') {
    // In a batch file `%` starts a variable, and Windows allows it in user names: write it as `%%`.
    const cmdQuote = (p: string) => `"${p.replaceAll('%', '%%')}"`;
    return `@echo off\r\n${cmdQuote(nodePath)} ${cmdQuote(hostEntry)} native-host %*\r\n`;
  }
  return `#!/bin/sh\nexec ${shellQuote(nodePath)} ${shellQuote(hostEntry)} native-host "$@"\n`;
}

/** Reads back the Node path a wrapper uses (for `doctor`). */
export function nodePathInWrapper(text: string): string | null {
  const posix = /^exec '((?:[^']|'\\'')*)'/m.exec(text);
  if (posix?.[1] !== undefined) return posix[1].replaceAll("'\\''", "'");
  const windows = /^"([^"]+)" /m.exec(text);
  return windows?.[1]?.replaceAll('%%', '%') ?? null;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** reg.exe command lines; `reg` is its absolute path (never searched for, see spawn-detached.ts). */
export function regAdd(reg: string, key: string, manifestPath: string): string[] {
  return [reg, 'add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'];
}

export function regDelete(reg: string, key: string): string[] {
  return [reg, 'delete', key, '/f'];
}

export function regQueryDefault(reg: string, key: string): string[] {
  return [reg, 'query', key, '/ve'];
}

export function regQueryPolicy(reg: string, key: string): string[] {
  return [reg, 'query', key, '/v', 'NativeMessagingUserLevelHosts'];
}

/** `reg query` prints `    (Default)    REG_SZ    C:\path`; returns that value. */
export function parseRegDefault(output: string): string | null {
  const match = /^\s+\S.*?\s+REG_(?:SZ|EXPAND_SZ)\s+(.+?)\s*$/m.exec(output);
  // An existing key without a default value shows this text instead of a path.
  return match?.[1] === undefined || match[1] === '(value not set)' ? null : match[1];
}

/** True when `reg query … /v NativeMessagingUserLevelHosts` shows the policy set to false (0). */
export function policyBlocksUserHosts(output: string): boolean {
  return /NativeMessagingUserLevelHosts\s+REG_DWORD\s+0x0+\s*$/m.test(output);
}
