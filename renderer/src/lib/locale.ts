// The viewer's locale and zone: week start from Intl.Locale week info, the system zone, the zone list.

interface WeekInfo {
  firstDay: number;
}

/** The UI locale: the browser's first language. */
export function uiLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en';
}

/** First day of the week for FullCalendar (0 = Sunday ... 6 = Saturday), from the locale's week info. */
export function firstDayOfWeek(locale: string = uiLocale()): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    if (info && typeof info.firstDay === 'number') return info.firstDay % 7; // Intl: 1 = Monday ... 7 = Sunday
  } catch {
    // An unknown locale tag: fall through.
  }
  // Without week info: Sunday where the region is known to start on Sunday, Monday elsewhere.
  const region = locale.split(/[-_]/)[1]?.toUpperCase() ?? '';
  return ['US', 'CA', 'JP', 'BR', 'MX', 'IL', 'PH', 'KR', 'TW', 'HK', 'IN', 'ZA', ''].includes(region) ? 0 : 1;
}

export function systemTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

let zones: string[] | undefined;

export function supportedTimeZones(): string[] {
  if (!zones) {
    const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
    let list: string[] = [];
    try {
      list = intl.supportedValuesOf?.('timeZone') ?? [];
    } catch {
      list = [];
    }
    if (!list.includes('UTC')) list = ['UTC', ...list];
    zones = list;
  }
  return zones;
}

/** "UTC+02:00"-style offset of a zone at an instant, for labels in the zone picker. */
export function zoneOffsetLabel(tz: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value.replace('GMT', 'UTC') || 'UTC';
  } catch {
    return '';
  }
}
