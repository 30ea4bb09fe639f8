// subscribe, unsubscribe, subscriptions: calendars subscribed by URL (webcal and ICS feeds; app/subscriptions.ts).
// `subscribe` adds one (or updates the one at that URL) and fetches its feed; the password is asked only for a
// feed that needs a login (--user). `subscriptions` lists them with what each feed's last copy breaks (notes).
// The other commands read a subscription when given its URL (listing.ts).
import type { DavlensError } from '../../../shared/errors.ts';
import type { Subscription, SubscriptionResult } from '../../../shared/models.ts';
import { openEngine, profileDir, type Engine } from '../../engine/index.ts';
import { connectionOptions, parseCommandLine } from '../args.ts';
import { liveTracePrinter, printErrors, printJson, printLines } from '../output.ts';
import { UsageError, readPassword } from '../password.ts';

export const SUBSCRIPTION_USAGE = [
  'davlens subscribe <URL> [--name NAME] [--refresh MINUTES] [--user NAME] [--insecure-http] [--profile DIR] [--json]',
  'davlens unsubscribe <URL> [--profile DIR] [--json]',
  'davlens subscriptions [--profile DIR] [--json]',
];

/** Errors that leave the answer whole: what a feed breaks, items that cannot be read. */
function leavesAnswer(e: DavlensError): boolean {
  return e.code === 'feed-defect' || e.code === 'item-unparsable';
}

function describe(s: Subscription): string[] {
  const every =
    s.refreshMinutes % 1440 === 0 ? `${s.refreshMinutes / 1440} d` : s.refreshMinutes % 60 === 0 ? `${s.refreshMinutes / 60} h` : `${s.refreshMinutes} min`;
  return [`${s.name}  ${s.color}  every ${every}  refreshed ${s.syncedAt ?? 'never'}`, `  ${s.url}`];
}

async function withEngine<T>(profile: unknown, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(profileDir(profile as string | undefined));
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}

export async function subscribeCommand(argv: string[]): Promise<number> {
  const extra = { name: { type: 'string' }, refresh: { type: 'string' } } as const;
  const { positionals, values } = parseCommandLine(argv, extra);
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError(`usage: ${SUBSCRIPTION_USAGE[0]}`);
  const refresh = values.refresh as string | undefined;
  if (refresh !== undefined && !/^[1-9]\d{0,6}$/.test(refresh)) throw new UsageError(`--refresh takes a number of minutes (1 or more), not "${refresh}".`);
  const options = await connectionOptions('', values);
  const user = values.user as string | undefined;
  return withEngine(values.profile, async (engine) => {
    // The password only for a feed that needs a login; an update without --user keeps the stored user name.
    const known = engine.subscriptionAt(url);
    const login = user !== undefined || known?.options.user !== undefined;
    const password = login ? await readPassword(values['password-file'] as string | undefined) : undefined;
    const out = await engine.subscribe(
      {
        url,
        name: values.name as string | undefined,
        refreshMinutes: refresh === undefined ? undefined : Number(refresh),
        user,
        insecureHttp: options.insecureHttp,
      },
      password,
      options,
      { onTrace: liveTracePrinter(values.trace === true && values.json !== true) },
    );
    const subscription = out.subscription ? engine.subscriptionView(out.subscription) : null;
    const answer: SubscriptionResult = { subscription, errors: out.errors };
    if (values.json === true) printJson(answer);
    else if (subscription) printLines(describe(subscription));
    printErrors(out.errors);
    return subscription && out.errors.every(leavesAnswer) ? 0 : 1;
  });
}

export async function unsubscribeCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine(argv);
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError(`usage: ${SUBSCRIPTION_USAGE[1]}`);
  return withEngine(values.profile, async (engine) => {
    const s = engine.subscriptionAt(url);
    if (!s) throw new UsageError(`There is no subscription to ${url}: \`davlens subscriptions\` lists them, \`davlens subscribe ${url}\` adds it.`);
    engine.unsubscribe(s.url);
    if (values.json === true) printJson({ unsubscribed: s.url, errors: [] });
    else printLines([`Unsubscribed from ${s.url}`]);
    return 0;
  });
}

export async function subscriptionsCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine(argv);
  if (positionals.length > 0) throw new UsageError(`usage: ${SUBSCRIPTION_USAGE[2]}`);
  return withEngine(values.profile, async (engine) => {
    const subscriptions = engine.subscriptions().map((s) => engine.subscriptionView(s));
    const errors = engine.subscriptions().flatMap((s) => (s.lastError ? [s.lastError] : []));
    if (values.json === true) printJson({ subscriptions, errors });
    // What each feed's last copy breaks, under it (the same objects as `notes` in --json).
    else printLines(subscriptions.flatMap((s) => [...describe(s), ...s.notes.map((n) => `  ${n.message}`)]));
    printErrors(errors);
    return 0;
  });
}
