import { describe, expect, it } from 'vitest';
import { addressBookFromResponse, calendarFromResponse, normaliseColor } from '../../electron/engine/remote/homes.ts';
import { parseMultistatus } from '../../electron/engine/dav/multistatus.ts';

const ok = (
  href: string,
  props: string,
) => `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><d:displayname/><x:calendar-color/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>`;
const body = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:x="http://apple.com/ns/ical/" xmlns:cs="http://calendarserver.org/ns/">
  ${ok('/cal/home/', '<d:resourcetype><d:collection/></d:resourcetype>')}
  ${ok('/cal/home/inbox/', '<d:resourcetype><d:collection/><c:schedule-inbox/></d:resourcetype>')}
  ${ok('/cal/home/outbox/', '<d:resourcetype><d:collection/><c:schedule-outbox/></d:resourcetype>')}
  ${ok('/cal/home/plain/', '<d:resourcetype><d:collection/></d:resourcetype>')}
  ${ok('/cal/home/Work%20Stuff/', '<d:resourcetype><d:collection/><c:calendar/></d:resourcetype><cs:getctag>42</cs:getctag>')}
  ${ok('/cal/home/tasks/', '<d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Tasks</d:displayname><c:supported-calendar-component-set><c:comp name="VTODO"/></c:supported-calendar-component-set><d:current-user-privilege-set><d:privilege><d:read/></d:privilege></d:current-user-privilege-set>')}
  ${ok('/cal/home/book/', '<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>')}
</d:multistatus>`;

describe('collection classification', () => {
  const ms = parseMultistatus(body, 'https://dav.example.test/cal/home/');
  const calendars = ms.responses.map(calendarFromResponse).filter((c) => c !== null);
  const books = ms.responses.map(addressBookFromResponse).filter((b) => b !== null);

  it('only calendar resources are calendars (not inbox, outbox, plain collections or address books)', () => {
    expect(calendars.map((c) => c.url)).toEqual(['https://dav.example.test/cal/home/Work%20Stuff/', 'https://dav.example.test/cal/home/tasks/']);
    expect(books.map((b) => b.url)).toEqual(['https://dav.example.test/cal/home/book/']);
  });

  it('missing properties are normal: name from the last path segment, every component type, writable', () => {
    expect(calendars[0]).toMatchObject({
      displayName: 'Work Stuff',
      components: ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY'],
      ctag: '42',
      color: null,
      readOnly: false,
    });
    expect(calendars[1]).toMatchObject({ displayName: 'Tasks', components: ['VTODO'], readOnly: true });
  });

  it('normalises Apple colours to #RRGGBB', () => {
    expect(normaliseColor('#3a87adff')).toBe('#3A87AD');
    expect(normaliseColor('#fc0')).toBe('#FFCC00');
    expect(normaliseColor('#123456')).toBe('#123456');
    expect(normaliseColor('red')).toBeNull();
  });
});
