"""How the apps below know a learner: the profile's name and preferred language.

Registered with `jazari.people` by `LearnersConfig.ready()`.
"""

from jazari import people
from learners.models import Profile


@people.register
def from_profile(user) -> people.Person | None:
    """The learner's name and language, from the profile; None for an account without one."""
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        return None
    return people.Person(
        name=profile.full_name or user.get_full_name(),
        language=people.site_language(profile.preferred_language),
    )
