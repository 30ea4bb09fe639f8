// A labelled input: the label wraps the input, so the label names it without ids.
import type { InputHTMLAttributes, ReactElement } from 'react';

export function LabeledInput({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>): ReactElement {
  return (
    <label className="dl-field">
      <span>{label}</span>
      <input {...input} />
    </label>
  );
}
