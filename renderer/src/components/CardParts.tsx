// Pieces the contact card and the event panel share: category chips and the export footer.
import type { ReactElement } from 'react';
import { Icon } from './Icon.tsx';

export function Chips({ items }: { items: string[] }): ReactElement {
  return (
    <span className="dl-chips">
      {items.map((x) => (
        <span key={x} className="dl-chip">
          {x}
        </span>
      ))}
    </span>
  );
}

/** The export button at the foot of a card or panel; nothing when there is nothing to export. */
export function ExportFooter({ className, label, onExport }: { className: string; label: string; onExport: (() => void) | undefined }): ReactElement | null {
  if (!onExport) return null;
  return (
    <footer className={className}>
      <button type="button" className="dl-button" onClick={onExport}>
        <Icon name="download" /> {label}
      </button>
    </footer>
  );
}
