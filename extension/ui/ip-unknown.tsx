/**
 * "Your IP address is unknown", with the two ways to make it known in place: look it up (the optional permission
 * is asked for on that press) or type it. Shared by the report and the popup; the page passes what each does.
 */
import { useState } from 'preact/hooks';

export interface IpUnknownProps {
  /** Prefix for element ids (two of these never share a page, but the ids must not clash with the page's). */
  idPrefix: string;
  /** Asks for the lookup; the sentence to show when it was refused, else null. */
  allowLookup(): Promise<string | null>;
  /** Stores a typed address; the sentence to show when it is not one, else null. */
  saveAddress(text: string): Promise<string | null>;
  /** After either worked: check again. */
  onKnown(): void;
  disabled?: boolean;
}

export const IP_UNKNOWN_TEXT =
  'Your public IP address is unknown, so RDP now cannot tell whether the network rules and just-in-time access let you in.';

export function IpUnknown(props: IpUnknownProps) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const field = `${props.idPrefix}-ip`;
  const problemId = `${props.idPrefix}-ip-problem`;

  async function run(step: () => Promise<string | null>): Promise<void> {
    setWorking(true);
    const sentence = await step().catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    setWorking(false);
    setProblem(sentence);
    if (sentence === null) props.onKnown();
  }

  const disabled = working || props.disabled === true;
  return (
    <section class="notice warn ip-unknown" aria-labelledby={`${props.idPrefix}-ip-title`}>
      <h2 id={`${props.idPrefix}-ip-title`}>Your IP address</h2>
      <p>{IP_UNKNOWN_TEXT}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={disabled} onClick={() => void run(props.allowLookup)}>
          Look up my IP
        </button>
      </div>
      <form
        class="ip-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => props.saveAddress(typed));
        }}
      >
        <label for={field}>Or type it</label>
        <input
          id={field}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellcheck={false}
          placeholder="203.0.113.7"
          value={typed}
          aria-invalid={problem !== null}
          aria-describedby={problem !== null ? problemId : undefined}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <button type="submit" disabled={disabled}>
          Use this address
        </button>
      </form>
      {problem !== null && (
        <p id={problemId} class="bad" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
