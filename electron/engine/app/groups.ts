// Contact groups in the three forms clients write them: group cards (vCard 4 KIND:group with MEMBER, Apple's
// X-ADDRESSBOOKSERVER-KIND:group with X-ADDRESSBOOKSERVER-MEMBER) and CATEGORIES. A group card names its members by
// urn:uuid: (the card's UID), mailto: (an email of the card) or the card's URL; a member no card answers to is not
// counted. Pure functions over the contacts of the chosen address books.
import type { Contact, ContactGroup } from '../../../shared/models.ts';

/** A group and the hrefs of its members. */
export interface ResolvedGroup extends ContactGroup {
  memberHrefs: Set<string>;
}

/** A UID without its urn:uuid: prefix, lower-case: how a MEMBER names a card. */
function uidKey(uid: string): string {
  return uid
    .replace(/^urn:uuid:/i, '')
    .trim()
    .toLowerCase();
}

/** Resolves member URIs against the people among `contacts`. */
function memberIndex(people: readonly Contact[]): (member: string, groupHref: string) => string | null {
  const byUid = new Map<string, string>();
  const byEmail = new Map<string, string>();
  const hrefs = new Set<string>();
  for (const c of people) {
    byUid.set(uidKey(c.uid), c.href);
    for (const e of c.emails) if (!byEmail.has(e.value.toLowerCase())) byEmail.set(e.value.toLowerCase(), c.href);
    hrefs.add(c.href);
  }
  return (member, groupHref) => {
    if (/^urn:uuid:/i.test(member)) return byUid.get(uidKey(member)) ?? null;
    if (/^mailto:/i.test(member)) return byEmail.get(decodeURIComponent(member.slice(7)).toLowerCase()) ?? null;
    try {
      const href = new URL(member, groupHref).href;
      return hrefs.has(href) ? href : (byUid.get(uidKey(member)) ?? null);
    } catch {
      return byUid.get(uidKey(member)) ?? null;
    }
  };
}

/** Every group of the contacts (group cards and categories), by name; group cards first, each list by name. */
export function groupsOf(contacts: readonly Contact[]): ResolvedGroup[] {
  const people = contacts.filter((c) => c.kind !== 'group');
  const resolve = memberIndex(people);
  const cards: ResolvedGroup[] = [];
  for (const c of contacts) {
    if (!c.group) continue;
    const memberHrefs = new Set(c.group.members.map((m) => resolve(m, c.href)).filter((h): h is string => h !== null));
    cards.push({ name: c.fn, members: memberHrefs.size, source: c.group.source, href: c.href, memberHrefs });
  }
  const categories = new Map<string, Set<string>>();
  for (const c of people) {
    for (const name of c.categories) {
      const set = categories.get(name) ?? new Set<string>();
      set.add(c.href);
      categories.set(name, set);
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return [
    ...cards.sort(byName),
    ...[...categories]
      .map(([name, memberHrefs]): ResolvedGroup => ({ name, members: memberHrefs.size, source: 'categories', href: null, memberHrefs }))
      .sort(byName),
  ];
}

/** The contacts with the names of the groups they are in. */
export function withGroups(contacts: readonly Contact[], groups: readonly ResolvedGroup[]): Contact[] {
  // One pass over the members (not every group for every contact): listing 5,000 people with 50 groups stays cheap.
  const names = new Map<string, string[]>();
  for (const g of groups) {
    for (const href of g.memberHrefs) {
      const list = names.get(href);
      if (!list) names.set(href, [g.name]);
      else if (!list.includes(g.name)) list.push(g.name);
    }
  }
  return contacts.map((c) => ({ ...c, groups: names.get(c.href) ?? [] }));
}

/** The group as the API and `groups --json` show it. */
export function groupView({ name, members, source, href }: ResolvedGroup): ContactGroup {
  return { name, members, source, href };
}
