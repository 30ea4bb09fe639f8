// The time-zone picker: "System (zone)" or any zone Intl knows, found by typing a city ("Berlin", "New York"), a
// region or an offset ("+1", "UTC+05:30"). The WAI-ARIA combobox pattern: the input filters a listbox; the arrow
// keys move through it, Enter picks, Esc closes; the list fits the picker's width and opens upward when there is
// no room below (at the foot of the sidebar).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactElement, RefObject } from 'react';
import { t } from '../i18n/messages.ts';
import { systemTimeZone } from '../lib/locale.ts';
import { filterZones, warmZoneEntries, zoneEntries, zoneEntry } from '../lib/zones.ts';
import { Icon } from './Icon.tsx';

interface Option {
  /** '' is the system zone. */
  value: string;
  label: string;
}

/** How long after the picker appears its entries are worked out ahead (see warmZoneEntries). */
const WARM_AFTER_MS = 3000;

/** Room the list needs below the input before it opens upward instead. */
const LIST_ROOM = 280;

export function TimeZoneSelect({ value, resolved, onChange }: { value: string | null; resolved: string; onChange: (tz: string | null) => void }): ReactElement {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const box = useZoneBox(value, onChange, inputRef);
  useEffect(() => warmZoneEntries(WARM_AFTER_MS), []);
  const current = useMemo(() => (value ? zoneEntry(value).label : box.systemLabel), [value, box.systemLabel]);
  const offset = useMemo(() => zoneEntry(resolved).offset, [resolved]);
  return (
    <div className="dl-tz-select" title={`${t('calendar.timeZone')}: ${resolved} (${offset})`}>
      <Icon name="globe" />
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        aria-label={t('calendar.timeZone')}
        aria-expanded={box.open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={box.open && box.options.length ? `${id}-${box.active}` : undefined}
        value={box.query ?? current}
        placeholder={t('calendar.timeZone.filter')}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => box.show(e.target.value)}
        onClick={() => (box.open ? undefined : box.show(''))}
        onKeyDown={box.onKeyDown}
        onBlur={box.close}
      />
      <ZoneList id={id} box={box} value={value} />
      <span className="dl-visually-hidden" role="status">
        {box.open ? t('calendar.timeZone.count', { count: box.options.length }) : ''}
      </span>
    </div>
  );
}

type ZoneBox = ReturnType<typeof useZoneBox>;

/** The combobox's state: the text typed (null while closed), the options it matches, the active one, the keys. */
function useZoneBox(value: string | null, onChange: (tz: string | null) => void, inputRef: RefObject<HTMLInputElement | null>) {
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [above, setAbove] = useState(false);
  const open = query !== null;
  const systemLabel = t('calendar.timeZone.system', { zone: systemTimeZone().replace(/_/g, ' ') });

  const options = useMemo<Option[]>(() => {
    if (query === null) return [];
    const entries = filterZones(zoneEntries(), query).map((e) => ({ value: e.id, label: e.label }));
    return query.trim() ? entries : [{ value: '', label: systemLabel }, ...entries];
  }, [query, systemLabel]);

  const show = (text: string): void => {
    const rect = inputRef.current?.getBoundingClientRect();
    setAbove(!!rect && window.innerHeight - rect.bottom < LIST_ROOM && rect.top > LIST_ROOM);
    setQuery(text);
    // Opened on the whole list: the zone in use is the active one.
    setActive(text ? 0 : value ? zoneEntries().findIndex((e) => e.id === value) + 1 : 0);
  };
  const close = (): void => setQuery(null);
  const choose = (o: Option | undefined): void => {
    if (!o) return;
    close();
    if ((o.value || null) !== value) onChange(o.value || null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return show('');
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (options.length ? (a + step + options.length) % options.length : 0));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      choose(options[active]);
    } else if (e.key === 'Escape' && open) {
      // Only the list closes, not the dialog around the picker.
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') {
      close();
    }
  };
  return { query, open, options, active, above, systemLabel, show, close, choose, onKeyDown };
}

function ZoneList({ id, box, value }: { id: string; box: ZoneBox; value: string | null }): ReactElement {
  const listRef = useRef<HTMLUListElement>(null);
  const { open, active } = box;
  useEffect(() => {
    if (open) listRef.current?.querySelector(`#${CSS.escape(`${id}-${active}`)}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active, id]);
  return (
    <ul
      ref={listRef}
      id={`${id}-list`}
      role="listbox"
      aria-label={t('calendar.timeZone')}
      className={`dl-tz-list${box.above ? ' dl-tz-list-above' : ''}`}
      hidden={!open}
    >
      {box.options.map((o, i) => (
        <li
          key={o.value}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          data-zone={o.value}
          className={(o.value || null) === value ? 'dl-tz-current' : undefined}
          // Keep the focus in the input, so the pick does not blur (and close) first.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => box.choose(o)}
        >
          {o.label}
        </li>
      ))}
      {open && box.options.length === 0 ? (
        <li className="dl-tz-none" role="presentation">
          {t('calendar.timeZone.none', { query: box.query ?? '' })}
        </li>
      ) : null}
    </ul>
  );
}
