import { describe, expect, it } from 'vitest';
import { parseContactResource } from '../../electron/engine/formats/vcard/index.ts';

describe('contact extras for the details view', () => {
  it('reads nicknames (several, deduplicated) and IMPP addresses with their types', () => {
    const card =
      'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Robert\r\nNICKNAME:Bob,Bobby\r\nNICKNAME:Bob\r\nIMPP;TYPE=work:xmpp:bob@example.test\r\nIMPP:sip:bob@example.test\r\nEND:VCARD\r\n';
    const r = parseContactResource('/book/b', card, 'Book');
    expect(r.extras).toEqual({
      nicknames: ['Bob', 'Bobby'],
      impps: [
        { value: 'xmpp:bob@example.test', types: ['work'], pref: null },
        { value: 'sip:bob@example.test', types: [], pref: null },
      ],
    });
  });

  it('is null when the card cannot be read', () => {
    expect(parseContactResource('/book/x', 'not a card', 'Book').extras).toBeNull();
  });
});
