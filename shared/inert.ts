// Text a server or a DNS answer controls, made inert before it reaches a terminal or a shell. A SUMMARY or an
// error sentence with ESC/BEL sequences would otherwise set the window title, write the clipboard (OSC 52) or
// clear the screen; a TXT record with a newline would start a new command in a pasted trace. The one place that
// decides how control characters (Unicode Cc: C0, DEL, C1) are written.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  // C1 characters are written as \u: a UTF-8 terminal reads U+009B as CSI, so they are as live as ESC.
  return NAMED[c] ?? (code < 0x80 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** True when the text holds a control character (C0, DEL or C1). */
export function hasControlCharacters(text: string): boolean {
  return text.search(CONTROL) >= 0;
}

/** The text with every control character written as a visible escape (\n, \x1B, \u009B). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Controls other than newline and tab: those two are inert inside single quotes and harmless on a terminal. */
const LIVE_IN_QUOTES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * JSON with DEL and C1 escaped as well: JSON.stringify escapes only U+0000-U+001F, so U+009B (CSI) would reach
 * a terminal that shows the answer raw. The escaped form parses back to the same value.
 */
export function inertJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One shell word that means exactly `s` to a shell: bare when safe, in single quotes otherwise (a request body's
 * newlines stay as they are), and in $'...' (POSIX.1-2024, bash, zsh, ksh) when it holds other control
 * characters, which are then written as escapes.
 */
export function shellQuote(s: string): string {
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  if (!LIVE_IN_QUOTES.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  return `$'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(CONTROL, escapeOne)}'`;
}

/** A shell comment line: nothing after the # can end it or reach the terminal as a control sequence. */
export function shellComment(text: string): string {
  return `# ${escapeControls(text)}`;
}
