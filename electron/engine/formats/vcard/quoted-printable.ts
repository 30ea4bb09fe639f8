// Quoted-printable (RFC 2045 §6.7) as vCard 2.1 uses it. Soft line breaks are joined by the caller,
// which knows the line structure; this decodes one joined value.

/** Decodes `=XX` escapes to bytes and the bytes to text in `charset` (UTF-8, falling back to Windows-1252, when absent). */
export function decodeQuotedPrintable(value: string, charset: string | null): string {
  const bytes: number[] = [];
  let out = '';
  const flush = (): void => {
    if (bytes.length === 0) return;
    out += decodeBytes(Uint8Array.from(bytes), charset);
    bytes.length = 0;
  };
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x3d /* = */) {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      // A lone '=' at the very end is a soft break the caller did not consume.
      if (i === value.length - 1) continue;
    }
    if (code < 0x80) {
      bytes.push(code);
    } else {
      // The text was already decoded by whoever read the file; non-ASCII characters are kept as they are.
      flush();
      out += value[i];
    }
  }
  flush();
  return out;
}

/** Decodes bytes in the named charset; an unknown or absent charset tries UTF-8, then Windows-1252. */
export function decodeBytes(bytes: Uint8Array, charset: string | null): string {
  if (charset) {
    try {
      return new TextDecoder(charset.trim()).decode(bytes);
    } catch {
      // RangeError: a charset label TextDecoder does not know. Fall through to the guess below.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: vCard 2.1 files from Windows tools are usually Windows-1252 (a superset of ISO-8859-1).
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
