"""How often a learner may enrol or cancel: `ENROLMENT_RATE_LIMIT` actions a minute.

Each enrolment or cancellation a learner asks for on the pages or through the API counts, per
learner account (whichever browser, session or API token it comes from); a repeat that changes
nothing (enrolling again where already enrolled, cancelling a cancelled enrolment) is free.
Beyond the limit the action is refused with `RateLimited` before anything is locked or
written, so no email is owed: pages answer 429, the API 429 JSON, both with `Retry-After` (the
seconds until the minute ends). Organisers' actions in the admin and the demo data are not
counted. Counts live in the default cache (Redis in production), one key per learner and
minute, so every web process shares them; the window is the clock's minute, so at most twice
the limit can pass around a minute's turn.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from jazari.errors import RateLimited

WINDOW_SECONDS = 60


def clock() -> float:
    return time.time()


def count_action(learner) -> None:
    """Count one enrol-or-cancel action of `learner`; `RateLimited` beyond the limit."""
    limit = settings.ENROLMENT_RATE_LIMIT
    if not limit:
        return
    now = clock()
    window = int(now // WINDOW_SECONDS)
    key = f"enrolment-actions:{learner.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count > limit:
        retry_after = (window + 1) * WINDOW_SECONDS - now
        raise RateLimited(
            _(
                "You have enrolled or cancelled too many times in a short while. Wait a "
                "minute, then try again."
            ),
            "too_many_enrolment_actions",
            retry_after=int(retry_after) + 1,
        )
