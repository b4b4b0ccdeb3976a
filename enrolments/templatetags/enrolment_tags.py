"""Template helpers for enrolments: the viewer's enrolments in a page's sessions, status badges.

Nothing here decides anything: enrolment rules live in `enrolments.services`.
"""

from django import template

from enrolments.models import Enrolment

register = template.Library()

# Enrolment statuses as the site's badge colours (see `.badge--*` in site.css).
_BADGES = {
    "confirmed": "enrolment_open",
    "waitlisted": "full",
    "cancelled": "cancelled",
    "attended": "upcoming",
    "completed": "upcoming",
    "no_show": "past",
}


@register.simple_tag(takes_context=True)
def viewer_enrolments(context, sessions):
    """`{% viewer_enrolments sessions as my %}`: {session id: the viewer's active enrolment}.

    One query for all the sessions (none for anonymous visitors), each enrolment with its
    `waitlist_place`, so a page's query count does not grow with its number of sessions.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    session_ids = [session.pk for session in sessions or ()]
    if user is None or not user.is_authenticated or not session_ids:
        return {}
    enrolments = (
        Enrolment.objects.active()
        .filter(learner=user, session_id__in=session_ids)
        .with_waitlist_place()
    )
    return {enrolment.session_id: enrolment for enrolment in enrolments}


@register.filter
def get_item(mapping, key):
    """`{{ my|get_item:session.pk }}`: a dictionary's value, None when missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def enrolment_badge(status):
    """The badge modifier for an enrolment status: `badge--{{ status|enrolment_badge }}`."""
    return _BADGES.get(str(status), "past")
