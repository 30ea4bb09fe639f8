// The event panel and the contact card: everything shown, server text never rendered as HTML, safe links,
// export through the host.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ContactDetails, EventDetails } from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import type { Contact, Occurrence } from '../../shared/models.ts';
import { ContactCard } from '../../renderer/src/components/ContactCard.tsx';
import { EventDetailsPanel } from '../../renderer/src/components/EventDetails.tsx';
import { exportTarget } from '../../renderer/src/lib/exporting.ts';
import { fakeClient, renderWith } from './helpers.tsx';

const occurrence: Occurrence = {
  type: 'event',
  uid: 'work-ny-call@davlens.demo',
  summary: 'Call with the New York office',
  start: '2026-03-04T17:00:00+01:00',
  end: '2026-03-04T17:30:00+01:00',
  allDay: false,
  calendar: 'Work',
  calendarUrl: 'demo:calendar/work/',
  recurrenceId: '2026-03-04T16:00:00Z',
  location: 'https://meet.example.com/nyc',
  status: 'CANCELLED',
  href: 'demo:calendar/work/x.ics',
  recurring: true,
  source: 'calendar',
};

const details: EventDetails = {
  occurrence,
  description: 'Agenda: https://wiki.example.com/agenda\n<img src=x onerror=alert(1)> <b>bold?</b>\nNot a link: javascript:alert(1)',
  ownZone: { tz: 'America/New_York', start: '2026-03-04T11:00:00-05:00', end: '2026-03-04T11:30:00-05:00' },
  recurrenceText: 'every week on Wednesday',
  organizer: { name: 'Emily Johnson', email: 'emily.johnson@hudson.example', partstat: 'ACCEPTED', role: 'CHAIR' },
  attendees: [
    { name: 'Michael Chen', email: 'michael.chen@hudson.example', partstat: 'DECLINED', role: 'REQ-PARTICIPANT' },
    { name: null, email: 'kenji@sakura.example', partstat: 'NEEDS-ACTION', role: 'OPT-PARTICIPANT' },
  ],
  alarms: [{ action: 'DISPLAY', trigger: '15 minutes before start', description: null }],
  privacy: 'CONFIDENTIAL',
  url: 'javascript:alert(2)',
  categories: ['Meeting'],
  due: null,
};

describe('EventDetailsPanel', () => {
  it('asks the engine for the occurrence in the viewer’s zone and shows every part', async () => {
    const client = fakeClient();
    const spy = vi.fn(async () => ok(details));
    client.eventDetails = spy;
    const { container } = renderWith(client, <EventDetailsPanel occurrence={occurrence} tz="Europe/Berlin" color="#3584e4" onClose={() => {}} />);
    expect(spy).toHaveBeenCalledWith({
      calendarUrl: occurrence.calendarUrl,
      href: occurrence.href,
      uid: occurrence.uid,
      recurrenceId: occurrence.recurrenceId,
      tz: 'Europe/Berlin',
    });
    await screen.findByText('every week on Wednesday');
    expect(screen.getByTestId('event-when').textContent).toMatch(/17:00|5:00/);
    expect(screen.getByTestId('event-when').className).toContain('dl-struck');
    expect(screen.getByTestId('event-own-zone').textContent).toMatch(/America\/New_York.*11:00/);
    expect(screen.getByRole('heading', { name: occurrence.summary }).className).toContain('dl-struck');
    expect(screen.getByText('Cancelled')).toBeTruthy();
    expect(screen.getByText('Repeats', { selector: '.dl-badge' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Emily Johnson' }).getAttribute('href')).toBe('mailto:emily.johnson@hudson.example');
    expect(screen.getByText(/declined/)).toBeTruthy();
    expect(screen.getByText(/no reply yet, optional/)).toBeTruthy();
    expect(screen.getByText('15 minutes before start')).toBeTruthy();
    expect(screen.getByText('Confidential')).toBeTruthy();
    expect(screen.getByText('Meeting')).toBeTruthy();
    // Server text is text: no element was created from it, the markup is visible as characters.
    expect(container.querySelector('img, b, script')).toBeNull();
    expect(screen.getByText(/<img src=x onerror=alert\(1\)> <b>bold\?<\/b>/)).toBeTruthy();
    const agenda = screen.getByRole('link', { name: 'https://wiki.example.com/agenda' });
    expect(agenda.getAttribute('rel')).toBe('noopener noreferrer');
    expect([...container.querySelectorAll('a')].every((a) => /^(https?|mailto|tel):/.test(a.getAttribute('href') ?? ''))).toBe(true);
    expect(screen.getByText('javascript:alert(2)').tagName).not.toBe('A');
  });

  it('exports the event: a download in the browser, the save dialog on the desktop', async () => {
    const client = fakeClient();
    const exportFile = vi.spyOn(client, 'exportFile');
    const saveExport = vi.spyOn(client, 'saveExport');
    const target = { kind: 'event' as const, calendarUrl: occurrence.calendarUrl, href: occurrence.href, uid: occurrence.uid };
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const browser = await exportTarget(client, target, false);
    expect(exportFile).toHaveBeenCalledWith(target);
    expect(click).toHaveBeenCalledTimes(1);
    expect(browser).toMatchObject({ ok: true, filename: 'export.ics' });
    const desktop = await exportTarget(client, target, true);
    expect(saveExport).toHaveBeenCalledWith(target);
    expect(desktop.message).toBe('Saved export.ics');
    click.mockRestore();

    const onExport = vi.fn();
    renderWith(client, <EventDetailsPanel occurrence={occurrence} tz="UTC" color={null} onClose={() => {}} onExport={onExport} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export event (.ics)' }));
    expect(onExport).toHaveBeenCalled();
  });
});

const contact: Contact = {
  uid: 'p-jonas',
  href: 'demo:addressbook/contacts/card-4.vcf',
  fn: 'Jonas Weber',
  n: { family: 'Weber', given: 'Jonas', additional: '', prefix: '', suffix: '' },
  org: 'Nordlicht',
  title: 'Engineer',
  emails: [
    { value: 'home@jonas.example', types: ['home'], pref: null },
    { value: 'jonas@nordlicht.example', types: ['work'], pref: 1 },
  ],
  phones: [{ value: '+49 176 11223344', types: ['cell'], pref: null }],
  addresses: [
    {
      types: ['home'],
      pref: null,
      poBox: '',
      extended: '',
      street: 'Kastanienallee 7',
      locality: 'Berlin',
      region: '',
      postalCode: '10435',
      country: 'Germany',
      label: null,
    },
  ],
  bday: '--05-06',
  anniversary: null,
  note: 'Ask about https://example.org/talk <script>x</script>',
  urls: ['https://jonas.example/', 'javascript:alert(1)'],
  categories: ['Friends'],
  kind: 'individual',
  group: null,
  groups: [],
  hasPhoto: true,
  addressbook: 'Contacts',
};

describe('ContactCard', () => {
  it('shows the photo, every value with its type, preferred first, the birthday without a year', async () => {
    const client = fakeClient();
    const full: ContactDetails = {
      contact,
      photo: 'data:image/png;base64,iVBORw0KGgo=',
      nicknames: ['Joni'],
      impps: [{ value: 'xmpp:jonas@chat.example', types: ['home'], pref: null }],
      addresses: contact.addresses,
    };
    client.contactDetails = vi.fn(async () => ok(full));
    const { container } = renderWith(
      client,
      <ContactCard contact={contact} contactRef={{ addressbookUrl: 'demo:addressbook/contacts/', href: contact.href }} />,
    );
    const photo = await screen.findByRole('img', { name: 'Photo of Jonas Weber' });
    expect(photo.getAttribute('src')).toBe(full.photo);
    expect(screen.getByText('“Joni”')).toBeTruthy();
    const emails = within(screen.getByRole('region', { name: 'Email' })).getAllByRole('link');
    expect(emails.map((a) => a.getAttribute('href'))).toEqual(['mailto:jonas@nordlicht.example', 'mailto:home@jonas.example']);
    expect(screen.getByTitle('preferred')).toBeTruthy();
    expect(
      within(screen.getByRole('region', { name: 'Phone' }))
        .getByRole('link')
        .getAttribute('href'),
    ).toBe('tel:+4917611223344');
    expect(screen.getByText('mobile')).toBeTruthy();
    expect(screen.getByText('10435 Berlin')).toBeTruthy();
    expect(screen.getByTestId('contact-birthday').textContent).toMatch(/^(6 May|May 6)$/);
    expect(screen.getByText('xmpp:jonas@chat.example')).toBeTruthy();
    expect(
      within(screen.getByRole('region', { name: 'Websites' }))
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(['https://jonas.example/']);
    expect(container.querySelector('script')).toBeNull();
    expect(screen.getByText(/<script>x<\/script>/)).toBeTruthy();
  });

  it('shows initials without a photo, and refuses an SVG photo', async () => {
    const client = fakeClient();
    client.contactDetails = vi.fn(async () => ok({ contact, photo: 'data:image/svg+xml;base64,PHN2Zz4=', nicknames: [], impps: [], addresses: [] }));
    const { container } = renderWith(
      client,
      <ContactCard contact={contact} contactRef={{ addressbookUrl: 'demo:addressbook/contacts/', href: contact.href }} />,
    );
    await waitFor(() => expect(client.contactDetails).toHaveBeenCalled());
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.dl-avatar-initials')?.textContent).toBe('JW');
  });
});
