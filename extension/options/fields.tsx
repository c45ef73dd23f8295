/** The options page's form controls: text fields saved on change, toggles, locks and errors. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Validated } from '../ui/settings-form';

export function Locked({ locked }: { locked: boolean }) {
  return locked ? <span class="locked">Set by your organisation</span> : null;
}

export function FieldError({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <p id={id} class="field-error bad" role="alert">
      {message}
    </p>
  ) : null;
}

export interface TextFieldProps<T> {
  id: string;
  label: string;
  value: string;
  help?: ComponentChildren;
  placeholder?: string;
  locked?: boolean;
  inputMode?: 'numeric' | 'text';
  validate: (text: string) => Validated<T>;
  save: (value: T) => Promise<boolean>;
}

/** A text input saved on change (blur or Enter) when valid; otherwise its message shows and nothing is saved. */
export function TextField<T>(props: TextFieldProps<T>) {
  const [draft, setDraft] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(props.value);
    setError(null);
  }, [props.value]);
  const errorId = `${props.id}-error`;
  const helpId = `${props.id}-help`;
  return (
    <div class="field">
      <label for={props.id}>
        {props.label} <Locked locked={props.locked === true} />
      </label>
      <input
        id={props.id}
        type="text"
        spellcheck={false}
        autocomplete="off"
        inputMode={props.inputMode ?? 'text'}
        placeholder={props.placeholder}
        value={draft}
        disabled={props.locked}
        aria-invalid={error !== null}
        aria-describedby={[props.help ? helpId : '', error ? errorId : ''].join(' ').trim() || undefined}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={(e) => {
          const result = props.validate(e.currentTarget.value);
          if (!result.ok) {
            setError(result.message);
            return;
          }
          setError(null);
          void props.save(result.value);
        }}
      />
      <FieldError id={errorId} message={error} />
      {props.help && (
        <p id={helpId} class="help muted">
          {props.help}
        </p>
      )}
    </div>
  );
}

export function Toggle(props: {
  id: string;
  label: ComponentChildren;
  help: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div class="field toggle">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        aria-describedby={`${props.id}-help`}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <div>
        <label for={props.id}>{props.label}</label>
        <p id={`${props.id}-help`} class="help muted">
          {props.help}
        </p>
      </div>
    </div>
  );
}
