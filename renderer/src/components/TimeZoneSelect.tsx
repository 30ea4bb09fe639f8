// The time-zone picker: "System (zone)" or any zone Intl knows, with its current offset.
import { useMemo } from 'react';
import type { ReactElement } from 'react';
import { t } from '../i18n/messages.ts';
import { supportedTimeZones, systemTimeZone, zoneOffsetLabel } from '../lib/locale.ts';
import { Icon } from './Icon.tsx';

export function TimeZoneSelect({ value, resolved, onChange }: { value: string | null; resolved: string; onChange: (tz: string | null) => void }): ReactElement {
  const system = systemTimeZone();
  const zones = useMemo(() => {
    const list = supportedTimeZones();
    return value && !list.includes(value) ? [value, ...list] : list;
  }, [value]);
  return (
    <label className="dl-tz-select" title={`${t('calendar.timeZone')}: ${resolved} (${zoneOffsetLabel(resolved)})`}>
      <Icon name="globe" />
      <span className="dl-visually-hidden">{t('calendar.timeZone')}</span>
      <select aria-label={t('calendar.timeZone')} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t('calendar.timeZone.system', { zone: system.replace(/_/g, ' ') })}</option>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </label>
  );
}
