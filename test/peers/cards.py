#!/usr/bin/python3
"""The cards of vCard files as python3-vobject (Debian) reads them, for the peer test (test/unit/peers-cards.test.ts).
Usage: cards.py FILE...; prints one JSON object per file: {"file", "cards": [...]} or {"file", "error"}. A card
has its FN, N (family, given, additional, prefix, suffix), ORG units, EMAIL and TEL values, CATEGORIES, NOTE and
UID, each as vobject gives them (a structured part's several values joined with ", "); a card vobject cannot
read is {"error"} in its place."""
import json
import sys

import vobject


def values(card, name):
    return [line.value for line in card.contents.get(name, [])]


def first(card, name):
    found = values(card, name)
    return found[0] if found else None


def parts(value):
    return value if isinstance(value, list) else [value]


def card_json(card):
    n = first(card, 'n')
    return {
        'fn': first(card, 'fn'),
        'n': None if n is None else {
            key: ', '.join(parts(getattr(n, key))) for key in ('family', 'given', 'additional', 'prefix', 'suffix')
        },
        'org': [unit for org in values(card, 'org') for unit in parts(org)],
        'emails': values(card, 'email'),
        'tels': values(card, 'tel'),
        'categories': [c for cats in values(card, 'categories') for c in parts(cats)],
        'note': first(card, 'note'),
        'uid': first(card, 'uid'),
    }


def main():
    for path in sys.argv[1:]:
        try:
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            cards = []
            for card in vobject.readComponents(text, ignoreUnreadable=True):
                try:
                    cards.append(card_json(card))
                except Exception as e:
                    cards.append({'error': f'{type(e).__name__}: {e}'})
            print(json.dumps({'file': path, 'cards': cards}, ensure_ascii=False))
        except Exception as e:  # one file's failure is reported, the others still run
            print(json.dumps({'file': path, 'error': f'{type(e).__name__}: {e}'}))


main()
