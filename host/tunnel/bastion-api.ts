/**
 * Azure Bastion's native-client data plane, as `az network bastion tunnel` speaks it (docs/notes/bastion.md):
 * `POST https://{dnsName}/api/tokens` (form-encoded) mints a session, `wss://{dnsName}/webtunnelv2/{token}`
 * carries the bytes, `DELETE https://{dnsName}/api/tokens/{authToken}` ends it. The ARM token rides in the form
 * body and goes only to a Bastion host of the cloud's Bastion domain (or to an endpoint the user named).
 */
import { bastionHostName } from '../../shared/bastion-host';
import type { AzureCloudName } from '../../shared/resource-id';

export class BastionError extends Error {
  override name = 'BastionError';
}

/** A session of one TCP connection: `websocketToken` is single-use; `authToken` and `nodeId` end it. */
export interface BastionSession {
  authToken: string;
  nodeId: string;
  websocketToken: string;
}

export interface BastionEndpoint {
  /** `https://{dnsName}`, or the origin the user named instead (the simulated Bastion in tests). */
  origin: string;
  /** `wss://{dnsName}` or the named origin's wss form. */
  wsOrigin: string;
}

/**
 * The Bastion's origin, refusing any DNS name outside the cloud's Bastion domain: the ARM token is sent there.
 * `override` (https only) replaces the origin, as `--arm-endpoint` does for ARM.
 */
export function bastionEndpoint(
  dnsName: string | null,
  cloud: AzureCloudName,
  override?: string,
): BastionEndpoint {
  if (override !== undefined) {
    const url = new URL(override);
    if (url.protocol !== 'https:') throw new BastionError('The Bastion endpoint must be an https:// origin.');
    return { origin: url.origin, wsOrigin: `wss://${url.host}` };
  }
  const checked = bastionHostName(dnsName, cloud);
  if (!checked.ok) throw new BastionError(checked.reason);
  const { host } = checked;
  return { origin: `https://${host}`, wsOrigin: `wss://${host}` };
}

export interface SessionRequest {
  endpoint: BastionEndpoint;
  /** The VM's resource id. */
  vmId: string;
  /** The VM's RDP port. */
  port: number;
  /** The raw ARM access token (no `Bearer`). */
  armToken: string;
  timeoutMs?: number;
}

async function failure(response: Response, what: string): Promise<BastionError> {
  let message = '';
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body?.message === 'string') message = body.message;
  } catch {
    // Not JSON: the status alone.
  }
  const hint =
    response.status === 401 || response.status === 403
      ? ' (check the Reader role on the VM, its NIC and the Bastion, and that native client support is on)'
      : '';
  return new BastionError(
    `The Bastion refused ${what} with ${response.status}${message ? `: ${message.replace(/\.$/, '')}` : ''}${hint}.`,
  );
}

/**
 * Mints a session for one TCP connection. Each connection gets its own: no previous `token`, no `X-Node-Id`
 * (sharing them orphans sessions, azure-cli-extensions #10137). Redirects are refused: the form holds the token.
 */
export async function requestSession(request: SessionRequest): Promise<BastionSession> {
  const form = new URLSearchParams({
    resourceId: request.vmId,
    protocol: 'tcptunnel',
    workloadHostPort: String(request.port),
    aztoken: request.armToken,
  });
  let response: Response;
  try {
    response = await fetch(`${request.endpoint.origin}/api/tokens`, {
      method: 'POST',
      body: form,
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new BastionError(`The Bastion could not be reached (${reason(error)}).`);
  }
  if (response.status !== 200) throw await failure(response, 'the session');
  const body = (await response.json().catch(() => null)) as Partial<BastionSession> | null;
  if (
    typeof body?.authToken !== 'string' ||
    typeof body.nodeId !== 'string' ||
    typeof body.websocketToken !== 'string'
  ) {
    throw new BastionError('The Bastion answered the session request without its tokens.');
  }
  return { authToken: body.authToken, nodeId: body.nodeId, websocketToken: body.websocketToken };
}

/** `wss://{dnsName}/webtunnelv2/{websocketToken}?X-Node-Id={nodeId}`. */
export function tunnelUrl(endpoint: BastionEndpoint, session: BastionSession): string {
  return `${endpoint.wsOrigin}/webtunnelv2/${encodeURIComponent(session.websocketToken)}?X-Node-Id=${encodeURIComponent(session.nodeId)}`;
}

/** Ends a session; 404 means it had already ended. */
export async function deleteSession(endpoint: BastionEndpoint, session: BastionSession): Promise<void> {
  const response = await fetch(`${endpoint.origin}/api/tokens/${encodeURIComponent(session.authToken)}`, {
    method: 'DELETE',
    headers: { 'X-Node-Id': session.nodeId },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200 && response.status !== 204 && response.status !== 404) {
    throw await failure(response, 'ending the session');
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
