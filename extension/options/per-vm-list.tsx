/** A list of VMs each with its own value of a per-VM setting, every entry with its Remove button. */
import type { ComponentChildren } from 'preact';

export interface PerVmListProps {
  id: string;
  title: string;
  /** What an empty list means, e.g. "None: every VM uses the default user name." */
  empty: string;
  /** Keyed by the lower-cased resource id: the value as the user reads it. */
  entries: Readonly<Record<string, string>>;
  /** What Remove removes, for its accessible name: "the user name" → "Remove the user name for vm1 (rg)". */
  what: string;
  onRemove(vmKey: string): void;
  /** An add form below the list, if the setting is added here. */
  children?: ComponentChildren;
}

export function PerVmList({ id, title, empty, entries, what, onRemove, children }: PerVmListProps) {
  const sorted = Object.entries(entries).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div class="field">
      <h3 id={id}>{title}</h3>
      {sorted.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul class="per-vm" aria-labelledby={id}>
          {sorted.map(([key, text]) => {
            const label = vmLabel(key);
            return (
              <li key={key}>
                <span class="per-vm-vm" title={key}>
                  {label}
                </span>
                <span class="per-vm-user">{text}</span>
                <button
                  type="button"
                  aria-label={`Remove ${what} for ${label}`}
                  onClick={() => onRemove(key)}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {children}
    </div>
  );
}

/** `vm1 (rg-prod)` from a lower-cased resource id key. */
function vmLabel(key: string): string {
  const segments = key.split('/');
  const name = segments[8];
  const group = segments[4];
  return name && group ? `${name} (${group})` : key;
}
