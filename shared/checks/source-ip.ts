/** The user's public IP as the internet sees it: what NSG rules and JIT grants must allow. */
import { formatIp, parseIp } from '../ip';

export const DEFAULT_IP_LOOKUP_URL = 'https://api.ipify.org/?format=json';

/** Asks an HTTPS service that echoes the caller's address (`{"ip": "…"}` or plain text). */
export async function lookupSourceIp(url: string, timeoutMs = 5000): Promise<string> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`The IP lookup at ${url} answered ${response.status}.`);
  const text = (await response.text()).trim();
  let candidate = text;
  try {
    const parsed = JSON.parse(text) as { ip?: unknown };
    if (typeof parsed?.ip === 'string') candidate = parsed.ip;
  } catch {
    // Plain text, as many lookup services answer.
  }
  const ip = parseIp(candidate.trim());
  if (!ip) throw new Error(`The IP lookup at ${url} did not answer with an IP address.`);
  return formatIp(ip);
}
