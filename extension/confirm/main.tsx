/**
 * The confirmation window of the context-menu item "RDP to <address>": it names the target and launches only
 * when the user presses Connect, so no page can start a session by itself. Opened by the background with
 * `?host=…[&port=…]`.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Advice } from '../ui/advice';
import { ask } from '../ui/background-client';
import { parseConfirmQuery } from '../ui/confirm-target';
import { errorText, startedText } from '../ui/format';

const target = parseConfirmQuery(window.location.search);
const phase = signal<'ask' | 'launching' | 'started' | 'failed'>('ask');
const message = signal('');
/** Long enough to read "Started …", short enough not to linger over the session window. */
const CLOSE_AFTER_MS = 1500;

function close(): void {
  window.close();
}

async function connect(): Promise<void> {
  if (!target.ok || phase.value === 'launching' || phase.value === 'started') return;
  phase.value = 'launching';
  message.value = 'Starting the Remote Desktop client…';
  try {
    const reply = await ask({ type: 'ui:launch-address', host: target.messageHost, port: target.port });
    if (reply.ok) {
      phase.value = 'started';
      message.value = startedText(reply.launch.client, target.display);
      setTimeout(close, CLOSE_AFTER_MS);
    } else {
      phase.value = 'failed';
      message.value = reply.error.message;
    }
  } catch (e) {
    phase.value = 'failed';
    message.value = errorText(e);
  }
}

function Status() {
  const tone = { ask: '', launching: '', started: 'ok', failed: 'bad' }[phase.value];
  return (
    <div role="status" aria-live="polite">
      {message.value && (
        <p class={`notice ${tone}`}>
          <Advice text={message.value} />
        </p>
      )}
    </div>
  );
}

/** Focus on the button that closes: pressing Enter by habit must not launch anything. */
function useInitialFocus() {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function Confirm() {
  const closeButton = useInitialFocus();
  if (!target.ok) {
    return (
      <main>
        <h1>RDP now</h1>
        <p class="notice bad" role="alert">
          {target.message}
        </p>
        <div class="buttons">
          <button type="button" ref={closeButton} onClick={close}>
            Close
          </button>
        </div>
      </main>
    );
  }
  const busy = phase.value === 'launching';
  const done = phase.value === 'started';
  return (
    <main>
      <h1>
        Connect to <code class="target">{target.display}</code> with Remote Desktop?
      </h1>
      <p class="muted">
        RDP now will start your Remote Desktop client for this{' '}
        {target.kind === 'dns' ? 'host name' : 'address'}. Connect only if it is the one you chose.
      </p>
      <Status />
      <div class="buttons">
        <button type="button" class="primary" disabled={busy || done} onClick={() => void connect()}>
          Connect
        </button>
        <button type="button" ref={closeButton} onClick={close}>
          {phase.value === 'failed' || done ? 'Close' : 'Cancel'}
        </button>
      </div>
    </main>
  );
}

document.title = target.ok ? `Connect to ${target.display}? — RDP now` : 'RDP now';
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') close();
});

const root = document.getElementById('app');
if (root) render(<Confirm />, root);
