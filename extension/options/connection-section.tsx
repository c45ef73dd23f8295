/**
 * The options page's connecting section: user names, the Remote Desktop client, private IPs and how the
 * user's own IP address is known (the lookup, with its optional permission, or typed in).
 */
import type { Signal } from '@preact/signals';
import browser from 'webextension-polyfill';
import { BASTION_ORIGIN_PATTERNS } from '../../shared/bastion-host';
import { CLIENT_CHOICES } from '../messages';
import { IP_LOOKUP_ORIGIN, type Settings } from '../settings';
import { CLIENT_NAMES } from '../ui/format';
import { SETTING_LABELS } from '../ui/setting-labels';
import { validateSourceIp, validateUserName } from '../ui/settings-form';
import { TextField, Toggle } from './fields';
import { bastionAllowed, bastionMessage, ipLookupAllowed, ipLookupMessage, store } from './page-state';
import { PerVmRoutes } from './per-vm-routes';
import { PerVmUsers } from './per-vm-users';

/**
 * Turns an optional host permission on or off. Must run inside the click: browsers grant permission requests only
 * in a user gesture. `granted` runs once the browser allowed it.
 */
function setOrigins(
  origins: string[],
  on: boolean,
  state: { allowed: Signal<boolean>; message: Signal<string | null>; refused: string },
  granted?: () => Promise<unknown>,
): void {
  state.message.value = null;
  if (!on) {
    browser.permissions.remove({ origins }).then(
      () => {
        state.allowed.value = false;
      },
      () => undefined,
    );
    return;
  }
  browser.permissions.request({ origins }).then(
    async (allowed) => {
      state.allowed.value = allowed;
      if (allowed) await granted?.();
      else state.message.value = state.refused;
    },
    (e: unknown) => {
      state.message.value = `The browser refused the permission: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
}

function setIpLookup(on: boolean): void {
  if (!on) void store.update({ ipLookup: false });
  setOrigins(
    [IP_LOOKUP_ORIGIN],
    on,
    {
      allowed: ipLookupAllowed,
      message: ipLookupMessage,
      refused: 'The browser did not allow the lookup, so it stays off.',
    },
    () => store.update({ ipLookup: true }),
  );
}

const setBastionAccess = (on: boolean) =>
  setOrigins([...BASTION_ORIGIN_PATTERNS], on, {
    allowed: bastionAllowed,
    message: bastionMessage,
    refused: 'The browser did not allow reaching Azure Bastion, so it stays off.',
  });

export function ConnectionSection({ settings }: { settings: Settings }) {
  return (
    <section aria-labelledby="connection-title">
      <h2 id="connection-title">Connecting</h2>
      <TextField
        id="default-user"
        label="Default user name"
        value={settings.defaultUser}
        placeholder=".\azureuser"
        validate={validateUserName}
        save={(defaultUser) => store.update({ defaultUser })}
        help="For every VM without its own below, e.g. .\azureuser, VM1\admin or AzureAD\user@contoso.com. Empty: the client asks. Passwords are never stored."
      />
      <PerVmUsers byVm={settings.userByVm} />
      <PerVmRoutes byVm={settings.viaByVm} />
      <div class="field">
        <label for="client">Remote Desktop client</label>
        <select
          id="client"
          value={settings.preferredClient}
          aria-describedby="client-help"
          onChange={(e) => {
            const choice = CLIENT_CHOICES.find((c) => c === e.currentTarget.value);
            if (choice) void store.update({ preferredClient: choice });
          }}
        >
          {CLIENT_CHOICES.map((c) => (
            <option key={c} value={c}>
              {CLIENT_NAMES[c]}
            </option>
          ))}
        </select>
        <p id="client-help" class="help muted">
          The companion host starts this one when it is installed, else the best one it finds.
        </p>
      </div>
      <Toggle
        id="private-ip"
        label={SETTING_LABELS.privateIp}
        checked={settings.privateIp}
        onChange={(privateIp) => void store.update({ privateIp })}
        help="For VMs you reach over a VPN, ExpressRoute or peering: connect to the VM’s private address instead of a public one."
      />
      <Toggle
        id="ip-lookup"
        label={SETTING_LABELS.ipLookup}
        checked={settings.ipLookup && ipLookupAllowed.value}
        onChange={setIpLookup}
        help="Asks api.ipify.org (the browser asks you to allow it once) so the checks can tell whether the network rules and just-in-time access let your address in. Off: those checks say they cannot tell instead of passing."
      />
      {settings.ipLookup && !ipLookupAllowed.value && !ipLookupMessage.value && (
        <p class="notice warn">The lookup is not allowed yet: tick the box above to allow it.</p>
      )}
      {ipLookupMessage.value && (
        <p class="notice bad" role="alert">
          {ipLookupMessage.value}
        </p>
      )}
      <Toggle
        id="bastion-access"
        label={SETTING_LABELS.bastionAccess}
        checked={bastionAllowed.value}
        onChange={setBastionAccess}
        help="Lets RDP now open sessions at the Azure Bastion of a VM with no public route (its host under bastion.azure.com; the browser asks you to allow it once). A Bastion VM's Connect asks too, except in Firefox, whose panel on the portal page cannot ask."
      />
      {bastionMessage.value && (
        <p class="notice bad" role="alert">
          {bastionMessage.value}
        </p>
      )}
      <TextField
        id="source-ip"
        label={SETTING_LABELS.sourceIp}
        value={settings.sourceIp}
        placeholder="203.0.113.7"
        validate={validateSourceIp}
        save={(sourceIp) => store.update({ sourceIp })}
        help="The address Azure sees when you connect. Set it when the lookup is wrong (proxies, VPNs) or turned off; it wins over the lookup."
      />
    </section>
  );
}
