#!/usr/bin/python3
"""Occurrences of iCalendar files as python3-recurring-ical-events (Debian) expands them, for the peer test
(test/unit/peers.test.ts). Usage: expand.py FROM TO FILE...; FROM/TO are YYYY-MM-DD, the window is [FROM, TO)
in UTC. Prints one JSON object per file: {"file", "occurrences": [...]} or {"file", "error"}. An occurrence has
its UID, SUMMARY, RECURRENCE-ID (or null), and its start and end as "YYYY-MM-DD" (all day), a UTC instant
"YYYY-MM-DDTHH:MM:SSZ" (a time with a zone), or a wall time "YYYY-MM-DDTHH:MM:SS" (floating)."""
import datetime
import json
import sys

import icalendar
import recurring_ical_events


def text(value):
    if value is None:
        return None
    return str(value)


def moment(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.strftime('%Y-%m-%dT%H:%M:%S')
        return value.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    if isinstance(value, datetime.date):
        return value.strftime('%Y-%m-%d')
    return None


def occurrence(event):
    start = event.get('DTSTART')
    end = event.get('DTEND')
    rid = event.get('RECURRENCE-ID')
    return {
        'uid': text(event.get('UID')),
        'summary': text(event.get('SUMMARY')),
        'start': moment(start.dt) if start is not None else None,
        'end': moment(end.dt) if end is not None else None,
        'recurrenceId': moment(rid.dt) if rid is not None else None,
    }


def main():
    start = datetime.datetime.strptime(sys.argv[1], '%Y-%m-%d').replace(tzinfo=datetime.timezone.utc)
    stop = datetime.datetime.strptime(sys.argv[2], '%Y-%m-%d').replace(tzinfo=datetime.timezone.utc)
    for path in sys.argv[3:]:
        try:
            with open(path, 'rb') as f:
                calendar = icalendar.Calendar.from_ical(f.read())
            events = recurring_ical_events.of(calendar).between(start, stop)
            print(json.dumps({'file': path, 'occurrences': [occurrence(e) for e in events]}))
        except Exception as e:  # one file's failure is reported, the others still run
            print(json.dumps({'file': path, 'error': f'{type(e).__name__}: {e}'}))


main()
