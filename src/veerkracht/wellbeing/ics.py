"""An ICS invitation (RFC 5545) for one planned 1:1, via the icalendar package."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models_checkins import CheckIn, CheckInKind


def invitation(checkin: CheckIn) -> bytes:
    with translation.override(checkin.agent.language):
        summary = _("1:1 %(lead)s and %(agent)s") % {
            "lead": checkin.lead.full_name,
            "agent": checkin.agent.full_name,
        }
        kind = str(checkin.get_kind_display())
        agenda = "\n".join(f"- {item.label}" for item in checkin.agenda_items.all())
        description = f"{kind}\n\n{_('Agenda')}:\n{agenda}"
        if checkin.video_link:
            description = f"{checkin.video_link}\n\n{description}"
    cal = Calendar()
    cal.add("prodid", "-//Veerkracht//1:1//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"checkin-{checkin.pk}@{getattr(settings, 'ICS_UID_DOMAIN', 'veerkracht')}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", checkin.planned_start)
    event.add("dtend", checkin.planned_start + timedelta(minutes=checkin.duration_minutes))
    event.add("summary", summary)
    event.add("description", description)
    if checkin.kind == CheckInKind.VIDEO and checkin.video_link:
        event.add("location", checkin.video_link)
        event.add("url", checkin.video_link)
    elif checkin.kind == CheckInKind.ON_SITE and checkin.agent.team_id:
        event.add("location", checkin.agent.team.site.name)
    organizer = vCalAddress(f"mailto:{checkin.lead.email}")
    organizer.params["cn"] = vText(checkin.lead.full_name)
    event.add("organizer", organizer)
    for person in (checkin.lead, checkin.agent):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    event.add("sequence", int(checkin.updated_at.timestamp()) % 100000 if checkin.updated_at else 0)
    cal.add_component(event)
    return cal.to_ical()
