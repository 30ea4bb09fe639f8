// Settings: time zone, sync interval, week numbers; the keyboard shortcuts for reference.
import type { ReactElement } from 'react';
import type { Settings } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import { systemTimeZone } from '../lib/locale.ts';
import { Dialog } from './Dialog.tsx';
import { TimeZoneSelect } from './TimeZoneSelect.tsx';

const INTERVALS = [0, 5, 15, 30, 60];

export function KeyboardShortcuts(): ReactElement {
  const rows: [string, string][] = [
    ['← →  ↑ ↓', t('keys.move')],
    ['PgUp PgDn', t('keys.page')],
    ['T', t('keys.today')],
    ['M W D L', t('keys.views')],
    ['/', t('keys.search')],
    ['F9', t('keys.sidebar')],
    ['Esc', t('keys.close')],
  ];
  return (
    <table className="dl-table dl-keys" aria-label={t('keys.title')}>
      <tbody>
        {rows.map(([k, what]) => (
          <tr key={k}>
            <td>
              {k.split(/\s+/).map((x) => (
                <kbd key={x}>{x}</kbd>
              ))}
            </td>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettingsDialog({
  settings,
  onChange,
  onClose,
}: {
  settings: Settings;
  onChange: (patch: Partial<Settings>) => void;
  onClose: () => void;
}): ReactElement {
  const interval = INTERVALS.includes(settings.syncIntervalMinutes) ? INTERVALS : [...INTERVALS, settings.syncIntervalMinutes].sort((a, b) => a - b);
  return (
    <Dialog title={t('settings.title')} onClose={onClose} size="medium">
      <div className="dl-form">
        <div className="dl-field">
          <span>{t('calendar.timeZone')}</span>
          <TimeZoneSelect value={settings.timeZone} resolved={settings.timeZone ?? systemTimeZone()} onChange={(tz) => onChange({ timeZone: tz })} />
        </div>
        <label className="dl-field">
          <span>{t('sync.interval')}</span>
          <select value={settings.syncIntervalMinutes} onChange={(e) => onChange({ syncIntervalMinutes: Number(e.target.value) })}>
            {interval.map((m) => (
              <option key={m} value={m}>
                {m === 0 ? t('sync.interval.off') : m === 60 ? t('sync.interval.hour') : t('sync.interval.minutes', { count: m })}
              </option>
            ))}
          </select>
        </label>
        <label className="dl-check">
          <input type="checkbox" checked={settings.weekNumbers} onChange={(e) => onChange({ weekNumbers: e.target.checked })} />
          <span>{t('settings.weekNumbers')}</span>
        </label>
        <p className="dl-muted">{t('settings.appearance')}</p>
        <h3>{t('keys.title')}</h3>
        <KeyboardShortcuts />
      </div>
    </Dialog>
  );
}
