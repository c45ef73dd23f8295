/**
 * A stand-in for the Azure portal's VM page, served over HTTPS at `portal.azure.com` through the browser's
 * resolver rules: a single-page app whose fragment names the VM, with the portal's own "Connect" control, so
 * the content script runs exactly as on the real portal.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { simulationTls, type TlsMaterial } from './tls';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Microsoft Azure (simulated)</title>
<style>body{font:14px system-ui,sans-serif;margin:0}header{background:#0b5cad;color:#fff;padding:10px 16px}
main{padding:16px}.commands{display:flex;gap:8px;margin:12px 0}button{padding:6px 12px}</style></head>
<body><header>Microsoft Azure <small>(simulated portal)</small></header>
<main><h1 id="title">Home</h1><div class="commands"><button type="button">Connect</button><button type="button">Start</button></div>
<p>This page stands in for the Azure portal so RDP now can be tried without an account.</p></main>
<script src="/portal.js"></script></body></html>`;

// The portal is a single-page app: the title follows the fragment without a page load.
const SCRIPT = `function show(){var m=/virtualMachines\\/([^/]+)/i.exec(decodeURIComponent(location.hash));
document.getElementById('title').textContent=m?m[1]:'Home';}
addEventListener('hashchange',show);show();`;

export interface PortalPage {
  port: number;
  close(): Promise<void>;
}

export async function startPortalPage(
  options: { tls?: TlsMaterial; port?: number } = {},
): Promise<PortalPage> {
  const tls = options.tls ?? (await simulationTls());
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem + tls.caCertPem }, (req, res) => {
    const script = req.url === '/portal.js';
    res.writeHead(200, {
      'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(script ? SCRIPT : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
