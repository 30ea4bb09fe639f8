// Argument validation at the API boundary (the UI is untrusted: a compromised renderer or a foreign web
// page must not be able to reach the engine with malformed input). One zod schema per method.
import { z } from 'zod';
import type { ApiMethod } from './api.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const tz = z
  .string()
  .min(1)
  .max(64)
  .refine((v) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone');
const url = z
  .string()
  .max(4096)
  .refine((v) => /^https?:\/\//i.test(v) || v.startsWith('demo:') || v.startsWith('davlens-birthdays:'), 'an http(s) URL');
const id = z.string().min(1).max(320);
const feedUrl = z
  .string()
  .max(4096)
  .refine((v) => /^(https?|webcals?):\/\//i.test(v), 'a webcal(s) or http(s) URL');
/** A refresh interval: a minute to a year. */
const minutes = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * 60);
const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9.:[\]-]+$/i);
const pins = z.record(
  z
    .string()
    .max(300)
    .regex(/^[^\s]+:\d+$/),
  z.string().regex(/^sha256\/\/[A-Za-z0-9+/=]+$/),
);
const none = z.union([z.undefined(), z.null(), z.object({}).strict()]);

const exportTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('calendar'), calendarUrl: url }).strict(),
  z.object({ kind: z.literal('addressbook'), addressbookUrl: url }).strict(),
  z.object({ kind: z.literal('event'), calendarUrl: url, href: url, uid: z.string().max(1000) }).strict(),
  z.object({ kind: z.literal('contact'), addressbookUrl: url, href: url }).strict(),
]);

const API_SCHEMAS = {
  listAccounts: none,
  addAccount: z
    .object({
      email: z
        .string()
        .min(3)
        .max(320)
        .regex(/^[^@\s]+@[^@\s]+$/, 'an email address'),
      password: z.string().max(4096),
      user: z.string().max(320).optional(),
      server: url.optional(),
      dns: z
        .string()
        .max(300)
        .regex(/^(\[[0-9a-f:]+\]|[\w.-]+)(:\d+)?$/i)
        .optional(),
      insecureHttp: z.boolean().optional(),
      trustHosts: z.array(host).max(20).optional(),
      pins: pins.optional(),
      operationId: z.string().max(100).optional(),
      window: z.object({ from: date, to: date, tz }).strict().optional(),
    })
    .strict(),
  removeAccount: z.object({ accountId: id }).strict(),
  setPassword: z.object({ accountId: id, password: z.string().max(4096) }).strict(),
  listCollections: none,
  occurrences: z
    .object({
      from: date,
      to: date,
      tz,
      calendarUrls: z.array(url).max(1000).optional(),
      search: z.string().max(500).optional(),
    })
    .strict(),
  eventDetails: z.object({ calendarUrl: url, href: url, uid: z.string().max(1000), recurrenceId: z.string().max(100).nullable(), tz }).strict(),
  contacts: z
    .object({
      addressbookUrls: z.array(url).max(1000).optional(),
      search: z.string().max(500).optional(),
      group: z.string().max(500).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    })
    .strict(),
  contactDetails: z.object({ addressbookUrl: url, href: url }).strict(),
  syncNow: z.object({ accountId: id.optional() }).strict(),
  syncStatus: none,
  windowDrawn: none,
  exportFile: exportTarget,
  saveExport: exportTarget,
  getSettings: none,
  updateSettings: z
    .object({
      timeZone: tz.nullable().optional(),
      hiddenCalendars: z.array(url).max(10_000).optional(),
      syncIntervalMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .optional(),
      view: z.enum(['month', 'week', 'day', 'list']).optional(),
      sidebarCollapsed: z.boolean().optional(),
      weekNumbers: z.boolean().optional(),
    })
    .strict(),
  openDemo: none,
  openLocalFile: z.object({ name: z.string().max(255), content: z.string().max(50 * 1024 * 1024), tz }).strict(),
  subscribe: z
    .object({
      url: feedUrl,
      name: z.string().max(200).optional(),
      refreshMinutes: minutes.optional(),
      user: z.string().max(320).optional(),
      password: z.string().max(4096).optional(),
      insecureHttp: z.boolean().optional(),
    })
    .strict(),
  updateSubscription: z.object({ url, name: z.string().min(1).max(200).optional(), refreshMinutes: minutes.nullable().optional() }).strict(),
  unsubscribe: z.object({ url }).strict(),
  groups: z.object({ addressbookUrls: z.array(url).max(1000).optional() }).strict(),
} satisfies Record<ApiMethod, z.ZodType>;

/** Validates one call's argument; the message names the method and what was wrong. */
export function validateArgument(method: ApiMethod, arg: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const parsed = API_SCHEMAS[method].safeParse(arg);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${method}: ${issue?.path.join('.') || 'argument'}: ${issue?.message ?? 'invalid'}` };
}
