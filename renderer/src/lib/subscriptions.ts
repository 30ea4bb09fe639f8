// Subscribed calendars (webcal and ICS feeds) in the UI: the refresh intervals offered, how an interval and the
// last refresh read, the subscribe form's checks and request, and how a feed's problems are told.
import type { SubscribeRequest, SubscriptionView } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { t } from '../i18n/messages.ts';
import { relativeTime } from './time.ts';

const HOUR = 60;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** The intervals the forms offer, in minutes (besides "as the calendar asks"). */
export const REFRESH_CHOICES: readonly number[] = [15, HOUR, 6 * HOUR, DAY, WEEK];

/** "every 15 minutes", "every hour", "every 2 days", "every week". */
export function refreshText(minutes: number): string {
  if (minutes % WEEK === 0) return t('subscription.every.weeks', { count: minutes / WEEK });
  if (minutes % DAY === 0) return t('subscription.every.days', { count: minutes / DAY });
  if (minutes % HOUR === 0) return t('subscription.every.hours', { count: minutes / HOUR });
  return t('subscription.every.minutes', { count: minutes });
}

/** The sidebar's second line: "every day · refreshed 5 minutes ago". */
export function subscriptionStatus(s: Pick<SubscriptionView, 'refreshMinutes' | 'syncedAt'>, now: number = Date.now()): string {
  const refreshed = s.syncedAt ? t('subscription.refreshed', { when: relativeTime(s.syncedAt, now) }) : t('subscription.neverRefreshed');
  return t('subscription.status', { every: refreshText(s.refreshMinutes), refreshed });
}

export interface SubscribeFormValues {
  url: string;
  name: string;
  /** Minutes as text; '' for the calendar's own interval. */
  refresh: string;
  /** The "This feed needs a login" section is open: its user name and password are sent. */
  login: boolean;
  user: string;
  password: string;
  insecureHttp: boolean;
}

export const EMPTY_SUBSCRIBE_FORM: SubscribeFormValues = { url: '', name: '', refresh: '', login: false, user: '', password: '', insecureHttp: false };

export function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url.trim());
}

function isFeedUrl(text: string): boolean {
  if (!/^(webcals?|https?):\/\/\S+$/i.test(text)) return false;
  try {
    return new URL(text.replace(/^webcals?:/i, 'https:')).hostname !== '';
  } catch {
    return false;
  }
}

/** The message for the first thing wrong with the form, or null. */
export function validateSubscribeForm(v: SubscribeFormValues): string | null {
  const url = v.url.trim();
  if (!url) return t('subscribe.urlMissing');
  if (!isFeedUrl(url)) return t('subscribe.urlInvalid');
  if (isPlainHttp(url) && !v.insecureHttp) return t('subscribe.httpRefused');
  if (v.login && (!v.user.trim() || !v.password)) return t('subscribe.loginMissing');
  return null;
}

export function subscribeRequest(v: SubscribeFormValues): SubscribeRequest {
  const req: SubscribeRequest = { url: v.url.trim() };
  if (v.name.trim()) req.name = v.name.trim();
  if (v.refresh) req.refreshMinutes = Number(v.refresh);
  if (v.login) {
    req.user = v.user.trim();
    req.password = v.password;
  }
  if (v.insecureHttp && isPlainHttp(v.url)) req.insecureHttp = true;
  return req;
}

/** An error that comes with a copy of the feed (shown as well as it can be), not one that stopped its refresh. */
function isFeedProblem(e: DavlensError): boolean {
  return e.code === 'feed-defect' || e.code === 'item-unparsable' || e.code === 'too-many-occurrences';
}

/** What a feed breaks, as one sentence for a notice: its first few problems, by their messages. */
function feedProblemsText(name: string, errors: DavlensError[]): string {
  const messages = [...new Set(errors.map((e) => e.message))];
  const details = messages.slice(0, 3).join(' ') + (messages.length > 3 ? ' …' : '');
  return t('subscribe.problems', { name, count: errors.length, details });
}

/**
 * What to tell after a fetch of a subscription's feed: the error that stopped it (its last good copy stays), else
 * what the feed breaks, else nothing.
 */
export function feedNotice(name: string, errors: DavlensError[]): { text: string; tone: 'warn' | 'error' } | null {
  const failed = errors.find((e) => !isFeedProblem(e));
  if (failed) return { text: t('subscription.refreshFailed', { name, message: failed.message }), tone: 'error' };
  if (errors.length) return { text: feedProblemsText(name, errors), tone: 'warn' };
  return null;
}
