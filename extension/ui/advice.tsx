import { codeSpans } from './format';

/** An advice sentence from the background or the host, with any `command` in it shown as code. */
export function Advice({ text }: { text: string }) {
  return (
    <>
      {codeSpans(text).map((part, i) =>
        part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}
