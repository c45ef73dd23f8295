/**
 * Bastion tunnels that failed while the user had them (background/tunnel-notices.ts), at the top of the popup:
 * the one sentence why and "Connect again", which clears the notice and reconnects the VM in its row (check,
 * then launch through a new tunnel). The toolbar badge's "!" leads here. A VM no longer in the recent list gets
 * Dismiss instead: the popup has nothing to reconnect it with.
 */
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { RecentVm, TunnelNotice } from '../messages';
import { ask } from '../ui/background-client';
import { errorText, vmTitleId } from '../ui/format';
import type { RecentsStore } from '../ui/recents-store';

/** null until the background has answered: the popup's first focus waits for it (main.tsx). */
export const tunnelNotices = signal<TunnelNotice[] | null>(null);
const noticeError = signal<string | null>(null);
/** The popup opened with a notice (the badge led here): its Connect again takes the first focus, once. */
let focusOnOpen = false;

export async function loadTunnelNotices(): Promise<void> {
  try {
    const { notices } = await ask({ type: 'ui:tunnel-notices' });
    if (tunnelNotices.value === null) focusOnOpen = notices.length > 0;
    tunnelNotices.value = notices;
  } catch (e) {
    noticeError.value = errorText(e);
    tunnelNotices.value ??= [];
  }
}

async function connectAgain(notice: TunnelNotice, vm: RecentVm | undefined, store: RecentsStore) {
  try {
    tunnelNotices.value = (await ask({ type: 'ui:tunnel-notice-clear', tunnel: notice.tunnel })).notices;
  } catch (e) {
    noticeError.value = errorText(e);
    return;
  }
  if (!vm) return;
  // The reconnect's progress shows in the VM's row: the focus goes there.
  document.getElementById(vmTitleId(vm.id))?.closest('li')?.focus();
  await store.reconnect(vm);
}

function Notice({ notice, first, store }: { notice: TunnelNotice; first: boolean; store: RecentsStore }) {
  const button = useRef<HTMLButtonElement>(null);
  // A notice that comes while the popup is open is announced (role="alert"), not given the focus.
  useEffect(() => {
    if (first && focusOnOpen) {
      focusOnOpen = false;
      button.current?.focus();
    }
  }, [first]);
  const key = notice.vmId.toLowerCase();
  const vm = store.recents.value.find((r) => r.id.toLowerCase() === key);
  return (
    <div class="notice bad tunnel-notice">
      <p>{notice.message}</p>
      <button ref={button} type="button" class="primary" onClick={() => void connectAgain(notice, vm, store)}>
        {vm ? 'Connect again' : 'Dismiss'}
      </button>
    </div>
  );
}

export function ClosedTunnels({ store }: { store: RecentsStore }) {
  // Whether a VM can be reconnected is known once the recent list is.
  if (!store.loaded.value) return null;
  const notices = tunnelNotices.value ?? [];
  if (notices.length === 0 && !noticeError.value) return null;
  return (
    <section aria-label="Tunnels that closed" class="tunnel-notices" role="alert">
      {noticeError.value && <p class="notice bad">{noticeError.value}</p>}
      {notices.map((notice, i) => (
        <Notice key={notice.tunnel} notice={notice} first={i === 0} store={store} />
      ))}
    </section>
  );
}
