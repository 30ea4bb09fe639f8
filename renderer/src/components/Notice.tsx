// The notices every pane and dialog shows the same way: an error (role=alert) shown only when there is one.
import type { ReactElement } from 'react';

export function ErrorNotice({ message }: { message: string | null | undefined }): ReactElement | null {
  if (!message) return null;
  return (
    <p className="dl-notice dl-notice-error" role="alert">
      {message}
    </p>
  );
}
