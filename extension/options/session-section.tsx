/** The options page's session section: Entra ID sign-in to VMs, the display, and what is shared with the VM. */
import type { Settings } from '../settings';
import { validateDimension } from '../ui/settings-form';
import { TextField, Toggle } from './fields';
import { store } from './page-state';

export function SessionSection({ settings }: { settings: Settings }) {
  const { display, redirections } = settings;
  const setDisplay = (patch: Partial<Settings['display']>) =>
    store.update({ display: { ...display, ...patch } });
  const setSize = (which: 'width' | 'height', value: number | undefined) => {
    const { [which]: _old, ...rest } = display;
    return store.update({ display: value === undefined ? rest : { ...rest, [which]: value } });
  };
  return (
    <section aria-labelledby="session-title">
      <h2 id="session-title">The session</h2>
      <Toggle
        id="entra"
        label="Sign in to VMs with Entra ID"
        checked={settings.entraSignIn}
        onChange={(entraSignIn) => void store.update({ entraSignIn })}
        help="For VMs joined to Entra ID (with the AADLoginForWindows extension): you sign in to Windows with your work account instead of a local one. On Windows this needs an .rdp file, so Windows shows its security dialog before connecting."
      />
      <fieldset class="field">
        <legend>Display</legend>
        <div class="choices">
          <label>
            <input
              type="radio"
              name="mode"
              value="fullscreen"
              checked={display.mode === 'fullscreen'}
              onChange={() => void setDisplay({ mode: 'fullscreen' })}
            />{' '}
            Full screen
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              value="window"
              checked={display.mode === 'window'}
              onChange={() => void setDisplay({ mode: 'window' })}
            />{' '}
            Window
          </label>
        </div>
        <div class="size">
          <TextField
            id="width"
            label="Width (pixels)"
            inputMode="numeric"
            placeholder="client default"
            value={display.width === undefined ? '' : String(display.width)}
            validate={(t) => validateDimension(t, 'width')}
            save={(w) => setSize('width', w)}
          />
          <TextField
            id="height"
            label="Height (pixels)"
            inputMode="numeric"
            placeholder="client default"
            value={display.height === undefined ? '' : String(display.height)}
            validate={(t) => validateDimension(t, 'height')}
            save={(h) => setSize('height', h)}
          />
        </div>
        <p class="help muted">The window’s size in window mode; empty leaves it to the client.</p>
        <Toggle
          id="multimon"
          label="Use all my monitors"
          checked={display.multimon}
          onChange={(multimon) => void setDisplay({ multimon })}
          help="Spans the session over every monitor (full screen)."
        />
      </fieldset>
      <fieldset class="field">
        <legend>Share with the VM</legend>
        <Toggle
          id="clipboard"
          label="Clipboard"
          checked={redirections.clipboard}
          onChange={(clipboard) => void store.update({ redirections: { ...redirections, clipboard } })}
          help="Copy and paste between this computer and the VM."
        />
        <Toggle
          id="printers"
          label="Printers"
          checked={redirections.printers}
          onChange={(printers) => void store.update({ redirections: { ...redirections, printers } })}
          help="Print from the VM to this computer’s printers."
        />
        <p class="help muted">
          Drives, smart cards, USB and other devices, cameras, the microphone, COM ports, security keys and
          location are always off, by design: the companion host refuses them, so nothing a web page does can
          open this computer to a VM.
        </p>
      </fieldset>
    </section>
  );
}
