/**
 * What a browser tab does with the host's sign-in page, for tests without a browser: open the authorize URL on
 * the simulated Entra ID (reached at its real host name), press "Sign in", and post the answer to MSAL's
 * loopback as the page's form would.
 */
import https from 'node:https';

/** What the browser tab does: open the authorize URL, press "Sign in", and post the answer to the loopback. */
export async function signInTab(port: number, url: string): Promise<void> {
  const signInPage = await request(port, 'GET', url);
  if (!signInPage.body.includes('Sign in')) throw new Error(`no sign-in page at ${url}`);
  const answer = await request(port, 'POST', url, '');
  const fields = Object.fromEntries(
    [...answer.body.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1],
      m[2]?.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))),
    ]),
  );
  const action = /action="([^"]+)"/.exec(answer.body)?.[1] ?? '';
  if (!/^http:\/\/localhost:\d+\/?$/.test(action))
    throw new Error(`the answer goes to ${action}, not a loopback`);
  await fetch(action, { method: 'POST', body: new URLSearchParams(fields as Record<string, string>) });
}

function request(
  port: number,
  method: string,
  url: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: '127.0.0.1',
        port,
        path: `${target.pathname}${target.search}`,
        servername: target.hostname,
        headers: { host: target.host, 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
