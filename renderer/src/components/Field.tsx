// A labelled input: the label wraps the input, so the label names it without ids.
import type { InputHTMLAttributes, ReactElement, Ref } from 'react';

/** `ref` reaches the input (to focus it). */
export function LabeledInput({ label, ...input }: { label: string; ref?: Ref<HTMLInputElement> } & InputHTMLAttributes<HTMLInputElement>): ReactElement {
  return (
    <label className="dl-field">
      <span>{label}</span>
      <input {...input} />
    </label>
  );
}
