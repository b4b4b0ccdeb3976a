"""Presentation helpers shared by the site's templates.

Nothing here decides anything: links under the visitor's language prefix, dates in Morocco's
time, a session's state label, pagination links, the schema.org description of a course and
what a shared page shows (`jazari.sharing`).
"""

import json
from datetime import datetime

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import csp, timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from jazari import sharing
from jazari.addresses import absolute_url, page_url
from jazari.i18n import content_language, localize_path, reader_language, text_direction
from jazari.time import in_casablanca

register = template.Library()

# What a <script> element must never contain unescaped (same as django.utils.html.json_script).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

# Session modes (courses.models.SessionMode values) as schema.org course modes.
_COURSE_MODES = {"in_person": "onsite", "online": "online", "hybrid": "blended"}


# Links under the visitor's language


@register.simple_tag
def lurl(path):
    """`{% lurl "/courses/" %}`: the path under the active language's prefix (none for French)."""
    return localize_path(path)


@register.simple_tag(takes_context=True)
def language_links(context):
    """`{% language_links as links %}`: the current page in every language of the site.

    Each item has `code`, `name`, `url`, `absolute_url` and `current`; the query string is kept.
    """
    request = context.get("request")
    full_path = request.get_full_path() if request is not None else "/"
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    for code, name in settings.LANGUAGES:
        url = localize_path(full_path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": absolute_url(url, request),
                "current": code == current,
            }
        )
    return links


@register.simple_tag
def content_lang(obj):
    """`<h1{% content_lang course.text %}>`: ` lang="fr" dir="ltr"` when `obj`'s text is in
    another language than the page's (a course not translated yet on an Arabic page), so it
    reads in its own direction and is spoken in its own language; nothing otherwise."""
    if obj is None:
        return ""
    language = content_language(obj)
    if language == reader_language():
        return ""
    return format_html(' lang="{}" dir="{}"', language, text_direction(language))


@register.filter
def startswith(value, prefix):
    """`{% if request.path|startswith:url %}`, to mark the current section of the site."""
    return str(value).startswith(str(prefix)) if prefix else False


# Dates in Morocco's time


@register.filter
def casablanca(value):
    """An aware datetime in Africa/Casablanca, whatever time zone is active."""
    if not isinstance(value, datetime):
        return value
    return in_casablanca(value)


@register.filter
def local_datetime(value, fmt="l j F Y, H:i"):
    """`{{ session.starts_at|local_datetime:"l j F Y" }}`: formatted in Africa/Casablanca,
    with day and month names in the active language ("lundi 12 janvier 2026, 09:00")."""
    if not isinstance(value, datetime):
        return ""
    return date_format(casablanca(value), fmt)


@register.filter
def iso_datetime(value):
    """ISO 8601 with the Casablanca offset, for `<time datetime>` and JSON-LD."""
    if not isinstance(value, datetime):
        return ""
    return casablanca(value).isoformat()


@register.filter
def same_local_day(start, end):
    """Whether two datetimes fall on the same calendar day in Casablanca."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return False
    return casablanca(start).date() == casablanca(end).date()


# Sessions


@register.simple_tag
def session_state(session, now=None):
    """`{% session_state session now as state %}`: the SessionState (`.value`, `.label`)."""
    return session.state(now or timezone.now())


@register.simple_tag
def session_accepts_enrolment(session, now=None):
    """`{% session_accepts_enrolment session now as open %}`: whether enrolling would be taken
    (`Session.accepts_enrolment`)."""
    return session.accepts_enrolment(now or timezone.now())


@register.simple_tag
def session_state_label(session, now=None):
    """`{% session_state_label session now %}`: "Enrolment open", "Full", "Cancelled"…"""
    return session.state(now or timezone.now()).label


# Pagination


@register.simple_tag(takes_context=True)
def pagination_links(context, page, param="page"):
    """`{% pagination_links page as pager %}`: for a Django `Page`, the same shape as the
    catalogue's links (`page_links` with `number`, `url`, `current`; `previous_url`,
    `next_url`), keeping the rest of the query string. Elided pages have `number` None."""
    request = context.get("request")
    if page is None or request is None:
        return None

    def url_for(number):
        query = request.GET.copy()
        query[param] = number
        return "?" + query.urlencode()

    paginator = page.paginator
    links = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append({"number": None, "url": None, "current": False})
        else:
            links.append(
                {"number": number, "url": url_for(number), "current": number == page.number}
            )
    return {
        "page_links": links,
        "previous_url": url_for(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_for(page.next_page_number()) if page.has_next() else None,
        "num_pages": paginator.num_pages,
    }


# Facets


@register.filter
def any_selected(options):
    """Whether one of a facet's options is selected (to open its disclosure)."""
    return any(getattr(option, "selected", False) for option in options or ())


# schema.org


def _absolute(request, url):
    return absolute_url(url, request) if url else None


def _place(institute, request):
    address = {
        "@type": "PostalAddress",
        "addressLocality": institute.city,
        "addressRegion": str(institute.region_label),
        "addressCountry": "MA",
    }
    if institute.address:
        address["streetAddress"] = " ".join(institute.address.split())
    place = {
        "@type": "Place",
        "name": institute.title,
        "address": address,
        "url": _absolute(request, institute.get_url(request)),
    }
    if institute.latitude is not None and institute.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(institute.latitude),
            "longitude": float(institute.longitude),
        }
    return place


def _course_instance(course, session, course_url, request):
    mode = str(session.mode)
    venue = session.venue  # no extra query: the course is prefetched
    locations = []
    if mode in ("in_person", "hybrid") and venue is not None:
        locations.append(_place(venue, request))
    if mode in ("online", "hybrid"):
        # The meeting link is for enrolled learners only: point to the course page instead.
        locations.append({"@type": "VirtualLocation", "url": course_url})
    cancelled = str(session.status) == "cancelled"
    instance = {
        "@type": "CourseInstance",
        "name": course.title,
        "courseMode": _COURSE_MODES.get(mode, mode),
        "startDate": casablanca(session.starts_at).isoformat(),
        "endDate": casablanca(session.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": {
            "in_person": "https://schema.org/OfflineEventAttendanceMode",
            "online": "https://schema.org/OnlineEventAttendanceMode",
            "hybrid": "https://schema.org/MixedEventAttendanceMode",
        }.get(mode),
        "inLanguage": session.language,
        "maximumAttendeeCapacity": session.capacity,
        "remainingAttendeeCapacity": session.seats_left,
        "courseWorkload": f"PT{course.duration_hours}H",
        "organizer": {"@type": "Organization", "name": course.institute.title},
    }
    if locations:
        instance["location"] = locations[0] if len(locations) == 1 else locations
    return instance


def course_jsonld_data(course, sessions, request=None):
    """The schema.org `Course` of a course page, as a dict."""
    text = getattr(course, "text", course)  # in the reader's language (`jazari.i18n`)
    course_url = _absolute(request, course.get_url(request))
    institute = course.institute
    provider = {
        "@type": "Organization",
        "name": institute.title,
        "url": _absolute(request, institute.get_url(request)),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": text.title,
        "description": text.summary,
        "url": course_url,
        "provider": provider,
        "educationalLevel": str(course.get_level_display()),
        "learningResourceType": str(course.get_format_display()),
        "timeRequired": f"PT{course.duration_hours}H",
        "inLanguage": [language.code for language in course.languages.all()],
        "teaches": [course_skill.skill.name for course_skill in course.course_skills.all()],
        "audience": [
            {"@type": "Audience", "audienceType": audience.name}
            for audience in course.audiences.all()
        ],
        "hasCourseInstance": [
            _course_instance(course, session, course_url, request) for session in sessions
        ],
    }
    instructors = [ci.instructor for ci in course.course_instructors.all()]
    if instructors:
        data["instructor"] = [
            {"@type": "Person", "name": instructor.name, "jobTitle": instructor.role or None}
            for instructor in instructors
        ]
    return _drop_empty(data)


def _drop_empty(value):
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


@register.simple_tag(takes_context=True)
def course_jsonld(context, course, sessions):
    """`{% course_jsonld course sessions %}`: a `<script type="application/ld+json">` element.

    It carries the request's CSP nonce (`csp` context processor), like any script of the site.
    """
    data = course_jsonld_data(course, sessions, context.get("request"))
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    nonce = csp.nonce_attr(context)
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(" {}", nonce) if nonce else "",
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped just above
    )


# Sharing: Open Graph, Twitter cards, share links


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context, description="", image=None):
    """`{% social_meta description=… image=… %}` in the <head> of a shareable page: Open Graph
    and Twitter card tags and the canonical link of the context's `page` (`jazari.sharing`)."""
    page = context.get("page")
    request = context.get("request")
    meta = (
        sharing.social_meta(page, request, description=description, image=image) if page else None
    )
    return {"meta": meta}


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context):
    """`{% share_links %}`: "Share this page" for the context's `page`, as plain links."""
    page = context.get("page")
    url = page_url(page, context.get("request")) if page else None
    if url is None:
        return {"links": []}
    title = getattr(page, "seo_title", "") or page.title
    return {"links": sharing.share_links(title, url), "title": title, "url": url}
