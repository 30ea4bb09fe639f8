// The trace as the command lines that would repeat it: `dig` for DNS, `curl` for HTTP. Used by the CLI's
// --trace and by the UI's "Copy as curl"; the protocol walk-through doubles as an inspector.
// Pasted whole into a shell, it runs the commands and nothing a server or a DNS answer wrote: every word is
// quoted and every note, answer and error is a comment that no control character can end (inert.ts).
import { shellComment, shellQuote } from './inert.ts';
import type { TraceEntry } from './trace.ts';

export function traceEntryToCommand(e: TraceEntry): string {
  if (e.kind === 'note') return shellComment(`${e.service ? `[${e.service}] ` : ''}${e.message}`);
  if (e.kind === 'dns') {
    const at = /^\[?(.*?)\]?(?::(\d+))?$/.exec(e.server)!;
    const server = e.server === 'system' ? '' : ` ${shellQuote(`@${at[1]}`)}${at[2] ? ` -p ${at[2]}` : ''}`;
    const answer = e.error
      ? shellComment(`-> ${e.error}`)
      : e.answers.length
        ? e.answers.map((a) => shellComment(`-> ${a}`)).join('\n')
        : shellComment('-> (no answer)');
    return `dig +short ${shellQuote(e.type)} ${shellQuote(e.name)}${server}\n${answer}`;
  }
  const parts = ['curl', '-sS'];
  if (e.method !== 'GET') parts.push('-X', e.method);
  for (const [k, v] of Object.entries(e.requestHeaders)) {
    if (k.toLowerCase() === 'authorization') {
      // Let curl do the login itself rather than replay a header; the password is never printed.
      parts.push(v.toLowerCase().startsWith('digest') ? '--digest' : '--basic', '-u', '"$DAVLENS_USER:$DAVLENS_PASSWORD"');
      continue;
    }
    parts.push('-H', shellQuote(`${k}: ${v}`));
  }
  if (e.requestBody) parts.push('--data-binary', shellQuote(e.requestBody));
  parts.push(shellQuote(e.url));
  const outcome = shellComment(
    e.status !== null
      ? `-> ${e.status}${e.responseHeaders.location ? ` Location: ${e.responseHeaders.location}` : ''} (${e.ms} ms)`
      : `-> failed: ${e.error ?? 'no response'}`,
  );
  return `${parts.join(' ')}\n${outcome}`;
}

export function traceToCommands(trace: TraceEntry[]): string {
  return trace.map(traceEntryToCommand).join('\n');
}
