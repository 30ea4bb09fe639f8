// The `davlens` command line: a host of the engine like the desktop app and the browser mode.
import { DavlensFailure } from '../../shared/errors.ts';
import { warn } from './output.ts';
import { UsageError } from './password.ts';
import { DISCOVER_USAGE, discoverCommand } from './commands/discover.ts';
import { SUBSCRIPTION_USAGE, subscribeCommand, subscriptionsCommand, unsubscribeCommand } from './commands/subscriptions.ts';
import {
  LISTING_USAGE,
  addressbooksCommand,
  calendarsCommand,
  contactsCommand,
  eventsCommand,
  exportCommand,
  groupsCommand,
  syncCommand,
} from './commands/listing.ts';

const USAGE = `Davlens: CalDAV and CardDAV from an email address.

  ${DISCOVER_USAGE}
  ${LISTING_USAGE.join('\n  ')}
  ${SUBSCRIPTION_USAGE.join('\n  ')}

The password is read from DAVLENS_PASSWORD, --password-file FILE, or asked on the terminal.
A URL (webcal://, webcals://, https://) in place of the email names a subscribed calendar.
--json prints one object with an "errors" array; --trace prints every DNS query and HTTP request as a command.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  discover: discoverCommand,
  calendars: calendarsCommand,
  events: eventsCommand,
  addressbooks: addressbooksCommand,
  contacts: contactsCommand,
  groups: groupsCommand,
  export: exportCommand,
  sync: syncCommand,
  subscribe: subscribeCommand,
  unsubscribe: unsubscribeCommand,
  subscriptions: subscriptionsCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    warn(`unknown command "${name}"`);
    process.stderr.write(`\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      warn(e.message);
      process.exitCode = 2;
      return;
    }
    // A failure the engine names (the profile's store cannot be opened here, say): its sentence, no stack.
    if (e instanceof DavlensFailure) {
      warn(e.message);
      process.exitCode = 1;
      return;
    }
    // Never a bare stack trace for a user; the message names what failed.
    warn(`internal error: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.DAVLENS_DEBUG) warn(String((e as Error)?.stack));
    process.exitCode = 70;
  },
);
