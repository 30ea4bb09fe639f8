// A modal dialog: role=dialog with a name, focus moved in and kept in, Esc and the backdrop close it,
// focus returns to where it was.
import { useEffect, useId, useRef } from 'react';
import type { KeyboardEvent, ReactElement, ReactNode } from 'react';
import { t } from '../i18n/messages.ts';
import { Icon } from './Icon.tsx';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large';
  /** Esc and the backdrop do nothing while true (e.g. a request is running). */
  busy?: boolean;
  className?: string;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, footer, size = 'medium', busy = false, className }: DialogProps): ReactElement {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? el)?.focus();
    return () => previous?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (!busyRef.current) closeRef.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.offsetParent !== null || x === document.activeElement);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="dl-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget && !busyRef.current) closeRef.current();
      }}
    >
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={`dl-dialog dl-dialog-${size}${className ? ` ${className}` : ''}`}
        onKeyDown={onKeyDown}
      >
        <header className="dl-dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            className="dl-icon-button"
            aria-label={t('account.close')}
            onClick={() => !busyRef.current && closeRef.current()}
            disabled={busy}
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="dl-dialog-body">{children}</div>
        {footer ? <footer className="dl-dialog-footer">{footer}</footer> : null}
      </div>
    </div>
  );
}
