// The trace as the command lines that would repeat it: `dig` for DNS, `curl` for HTTP. Used by the CLI's
// --trace and by the UI's "Copy as curl"; the protocol walk-through doubles as an inspector.
import type { TraceEntry } from './trace.ts';

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function traceEntryToCommand(e: TraceEntry): string {
  if (e.kind === 'note') return `# ${e.service ? `[${e.service}] ` : ''}${e.message}`;
  if (e.kind === 'dns') {
    const server = e.server === 'system' ? '' : ` @${e.server.replace(/:(\d+)$/, ' -p $1').replace(/^\[|\](?= -p)/g, '')}`;
    const answer = e.error ? `# -> ${e.error}` : e.answers.length ? e.answers.map((a) => `# -> ${a}`).join('\n') : '# -> (no answer)';
    return `dig +short ${e.type} ${e.name}${server}\n${answer}`;
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
  const outcome = e.status !== null ? `# -> ${e.status}${e.responseHeaders.location ? ` Location: ${e.responseHeaders.location}` : ''} (${e.ms} ms)` : `# -> failed: ${e.error ?? 'no response'}`;
  return `${parts.join(' ')}\n${outcome}`;
}

export function traceToCommands(trace: TraceEntry[]): string {
  return trace.map(traceEntryToCommand).join('\n');
}
