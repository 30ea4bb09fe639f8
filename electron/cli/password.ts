// The password comes from DAVLENS_PASSWORD, --password-file, or a hidden prompt on a terminal: never from
// a flag (it would show in `ps` and shell history) and never from the store.
import { readFile } from 'node:fs/promises';

/**
 * --password-file, named on this command line, wins over DAVLENS_PASSWORD, which may still be exported for
 * another account: the password must go only where it was meant to.
 */
export async function readPassword(passwordFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (passwordFile !== undefined) {
    let text: string;
    try {
      text = await readFile(passwordFile, 'utf8');
    } catch (e) {
      throw new UsageError(`--password-file ${passwordFile}: ${(e as Error).message}`);
    }
    // One trailing newline is how editors and `echo` end a file; it is not part of the password.
    return text.replace(/\r?\n$/, '');
  }
  if (env.DAVLENS_PASSWORD !== undefined && env.DAVLENS_PASSWORD !== '') return env.DAVLENS_PASSWORD;
  if (process.stdin.isTTY && process.stderr.isTTY) return promptHidden('Password: ');
  throw new UsageError('No password: set DAVLENS_PASSWORD, pass --password-file FILE, or run on a terminal to be asked.');
}

export class UsageError extends Error {}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new UsageError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
