"""What the apps below `learners` know of a person: the name to write and the language to use.

Emails (`enrolments`) and certificates are written to a learner by name and in the learner's
language, which the learner's profile holds; the profile lives in `learners`, above them. So they
ask `describe(user)`, and `learners` registers the function that reads the profile
(`people.register`, from `LearnersConfig.ready()`). An account without a profile (an
administrator made by hand) gets the name on its account and the site's language.

`email_verified(user)` is the one rule for "this account has confirmed its email address":
enrolling and getting an API token need it.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings

from jazari.registry import Registry


@dataclass(frozen=True)
class Person:
    name: str
    """The name to write ("" when unknown), e.g. on certificates."""
    language: str
    """One of `settings.LANGUAGES`."""


describers = Registry("people")
register = describers.register


def site_language(code: str | None) -> str:
    """`code` when the site speaks it, else the site's default language."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def describe(user, *, language: str | None = None) -> Person:
    """The first answer of the registered functions (each returns a `Person` or None).

    `language` is for an account that none of them knows (default: the site's), e.g. the
    language of the page an administrator asked for a new password from."""
    for describer in describers:
        person = describer(user)
        if person is not None:
            return person
    return Person(name=user.get_full_name(), language=site_language(language))


def email_verified(user) -> bool:
    """Has the account confirmed an email address (allauth)? Enrolling and API tokens need it."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()
