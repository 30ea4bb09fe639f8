import type { DiscoveryResult, ServiceResult } from '../../../shared/discovery.ts';
import { isFeedUrl } from '../../../shared/href.ts';
import { openEngine, profileDir, type AddedAccount } from '../../engine/index.ts';
import { connectionOptions, parseCommandLine } from '../args.ts';
import { liveTracePrinter, printErrors, printJson, printLines } from '../output.ts';
import { UsageError, readPassword } from '../password.ts';

export const DISCOVER_USAGE = `davlens discover <email> [--user NAME] [--server URL] [--dns HOST:PORT] [--ca FILE]
  [--pin HOST:PORT=sha256//BASE64] [--trust-host HOST] [--insecure-http] [--password-file F] [--trace] [--json]`;

export async function discoverCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine(argv);
  const email = positionals[0];
  if (!email || positionals.length > 1) throw new UsageError(`usage: ${DISCOVER_USAGE}`);
  if (isFeedUrl(email)) throw new UsageError(`discover takes an email address; a calendar feed (${email}) is added with \`davlens subscribe ${email}\`.`);
  const options = await connectionOptions(email, values);
  // The profile is opened first: one it cannot use says so before any password is asked or sent.
  const engine = await openEngine(profileDir(values.profile as string | undefined));
  let found: AddedAccount;
  try {
    const password = await readPassword(values['password-file'] as string | undefined);
    // Saved in the profile (never the password), so later commands know the account.
    found = await engine.addAccount({ ...options, password }, { onTrace: liveTracePrinter(values.trace === true && values.json !== true) });
  } finally {
    engine.close();
  }
  const result = found.discovery;
  if (values.json === true) printJson(result);
  else printHuman(result);
  printErrors(result.errors);
  return found.account ? 0 : 1;
}

function printHuman(r: DiscoveryResult): void {
  const line = (label: string, s: ServiceResult | null) => {
    if (!s) return [`${label}: not found`];
    if (s.needsApproval) return [`${label}: needs your approval to send the password to ${s.needsApproval} (--trust-host ${s.needsApproval})`];
    return [
      `${label}: ${s.context}  (via ${s.via}${s.offDomain ? ', outside your domain' : ''})`,
      `  user name  ${s.username ?? '-'}`,
      `  principal  ${s.principal}`,
      ...s.homeSets.map((h) => `  home set   ${h}`),
    ];
  };
  const dns = r.trace.filter((e) => e.kind === 'dns').length;
  const http = r.trace.filter((e) => e.kind === 'http').length;
  printLines([...line('CalDAV', r.caldav), ...line('CardDAV', r.carddav), `(${dns} DNS queries, ${http} HTTP requests)`]);
}
