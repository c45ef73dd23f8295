/** A button that copies a command or address, and says whether it did (pages: options, set-up). */
import { useState } from 'preact/hooks';

export function Copy({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      aria-label={label}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied('copied'),
          () => setCopied('failed'),
        );
      }}
    >
      {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy it' : 'Copy'}
    </button>
  );
}
