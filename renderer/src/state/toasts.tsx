// Short notices at the bottom of the window (export done, copy done, a feed's problems, an action failed). Polite
// live region.
import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Icon } from '../components/Icon.tsx';
import { t } from '../i18n/messages.ts';

interface Toast {
  id: number;
  text: string;
  /** warn: it worked, with problems worth reading (shown as long as an error). */
  tone: 'info' | 'warn' | 'error';
}

type Notify = (text: string, tone?: Toast['tone']) => void;

const ToastContext = createContext<Notify>(() => {});

export function useNotify(): Notify {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }): ReactElement {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((x) => x.id !== id)), []);
  const notify = useCallback<Notify>(
    (text, tone = 'info') => {
      const id = next.current++;
      setToasts((ts) => [...ts.slice(-3), { id, text, tone }]);
      setTimeout(() => dismiss(id), tone === 'info' ? 4500 : 9000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="dl-toasts" role="status" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`dl-toast dl-toast-${x.tone}`}>
            <span>{x.text}</span>
            <button type="button" className="dl-icon-button" aria-label={t('account.close')} onClick={() => dismiss(x.id)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
