// Server and DNS text never reaches a terminal as control characters nor a shell as a command (shared/inert.ts,
// shared/curl.ts). The shell properties are checked with real shells: bash (what users paste into) and dash
// (Debian's /bin/sh, which has no $'...': there the word is still inert, only spelled differently).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { traceToCommands } from '../../shared/curl.ts';
import { escapeControls, inertJson, shellComment, shellQuote } from '../../shared/inert.ts';
import type { TraceEntry } from '../../shared/trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'davlens-inert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

describe('escapeControls and inertJson', () => {
  it('writes every C0, DEL and C1 character as a visible escape and leaves the rest alone', () => {
    expect(escapeControls('Lunch\u001b]0;pwned\u0007 \u001b]52;c;Y3VybA==\u0007\u009b2J\u007f\nnext\tcol\r')).toBe(
      'Lunch\\x1B]0;pwned\\x07 \\x1B]52;c;Y3VybA==\\x07\\u009B2J\\x7F\\nnext\\tcol\\r',
    );
    expect(escapeControls('Ærøskøbing ☕ 日本')).toBe('Ærøskøbing ☕ 日本');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => !CONTROLS.test(escapeControls(s))));
  });

  it('JSON escapes DEL and C1 as well, and parses back to the same value', () => {
    const value = { summary: 'a\u007fb\u0085c\u009bd\u001be', n: 1 };
    const text = inertJson(value, 2);
    expect(/[\u007f-\u009f\u001b]/.test(text)).toBe(false);
    expect(text).toContain('\\u007f');
    expect(JSON.parse(text)).toEqual(value);
    fc.assert(
      fc.property(
        fc.jsonValue(),
        (v) => !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(inertJson(v)) && JSON.stringify(JSON.parse(inertJson(v))) === JSON.stringify(v),
      ),
    );
  });
});

/** Runs `script` in `shell` with only dig and curl defined (as no-ops) and no PATH: any other command fails. */
function paste(shell: 'bash' | 'dash', script: string): { stdout: string; stderr: string } {
  const prelude = 'dig() { :; }\ncurl() { :; }\nPATH=/nonexistent\n';
  const r = spawnSync(shell, ['-s'], { input: prelude + script, env: { LC_ALL: 'C.UTF-8', MARKER: join(dir, 'ran') }, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr };
}

describe('shellQuote', () => {
  it('is one word that bash reads back as exactly the text, control characters included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            unit: fc.oneof(
              fc.constantFrom(
                '\n',
                '\t',
                '\r',
                '\u001b',
                '\u0007',
                '\u007f',
                '\u0085',
                '\u009b',
                "'",
                '"',
                '\\',
                '$',
                '`',
                '!',
                ' ',
                ';',
                '|',
                '&',
                '*',
                '~',
                '#',
                '日',
              ),
              fc.string({ maxLength: 1 }),
            ),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (words) => {
          const clean = words.map((w) => w.replace(/\u0000/g, ''));
          const out = execFileSync('bash', ['-c', clean.map((w) => `printf '%s\\0' ${shellQuote(w)}`).join('\n')], {
            env: { LC_ALL: 'C.UTF-8' },
            encoding: 'utf8',
          });
          expect(out.split('\0').slice(0, -1)).toEqual(clean);
          for (const w of clean) expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(shellQuote(w))).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a comment holds no character that could end it', () => {
    expect(shellComment('-> path=/\ntouch /tmp/x')).toBe('# -> path=/\\ntouch /tmp/x');
  });
});

describe('a trace pasted whole into a shell runs only dig and curl', () => {
  const payloads = [
    '\n: > "$MARKER"\n',
    '\r\n: > "$MARKER"',
    '\'; : > "$MARKER"; \'',
    '$(: > "$MARKER")',
    '`: > "$MARKER"`',
    '\u001b]0;title\u0007\n: > "$MARKER"',
  ];
  const trace: TraceEntry[] = payloads.flatMap((p): TraceEntry[] => [
    {
      kind: 'dns',
      step: 'txt',
      type: 'TXT',
      name: `_caldavs._tcp.example.test${p}`,
      server: '127.0.0.1:5353',
      answers: [`path=/${p}`, `x${p}`],
      error: null,
      ms: 2,
    },
    { kind: 'dns', step: 'srv', type: 'SRV', name: '_caldavs._tcp.example.test', server: 'system', answers: [], error: `ENOTFOUND${p}`, ms: 2 },
    { kind: 'note', step: 'txt', service: 'caldav', message: `TXT gives the context path /${p}` },
    {
      kind: 'http',
      step: 'well-known',
      method: 'PROPFIND',
      url: `https://dav.example.test/a'${encodeURIComponent(p)}`,
      requestHeaders: { Depth: '0', 'X-Test': `v${p}`, Authorization: 'Basic <redacted>' },
      requestBody: `<d:propfind xmlns:d="DAV:">\n<d:prop/>${p}</d:propfind>`,
      status: 301,
      responseHeaders: { location: `https://evil.example/${p}` },
      responseBody: null,
      error: null,
      ms: 3,
    },
    {
      kind: 'http',
      step: 'principal',
      method: 'GET',
      url: 'https://dav.example.test/',
      requestHeaders: {},
      requestBody: null,
      status: null,
      responseHeaders: {},
      responseBody: null,
      error: `socket hang up${p}`,
      ms: 3,
    },
  ]);
  const commands = traceToCommands(trace);

  for (const shell of ['bash', 'dash'] as const) {
    it(`in ${shell}: no other command runs, no file is written`, () => {
      const { stderr } = paste(shell, commands);
      expect(existsSync(join(dir, 'ran'))).toBe(false);
      expect(stderr).not.toMatch(/not found|syntax error|unexpected/);
    });
  }

  it('no control character reaches the terminal but the newlines between commands and inside quoted bodies', () => {
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(commands)).toBe(false);
    // And the payload really would run if it were not made inert: the check can fail.
    paste('bash', `# -> path=/${payloads[0]}`);
    expect(existsSync(join(dir, 'ran'))).toBe(true);
    rmSync(join(dir, 'ran'));
  });
});
