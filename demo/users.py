"""The demo administrator, learners and staff, so that anyone can try the site, and every role,
at once.

Demo learners are real learners: `learner1@example.com` … each has a verified primary email
address (allauth's `EmailAddress`, so allauth lets them log in by email and the enrolment
services let them enrol) and a complete `learners.Profile` (full name, region, audience,
organisation, preferred language, privacy notice accepted). Everything is written in bulk, a
handful of queries whatever the number of learners; `bulk_create` runs no `post_save` handler,
so nothing here relies on a signal.

On a rerun the demo values are put back where they differ (as `builder` does for courses);
the calendar token and the date the privacy notice was accepted are kept.

Demo staff try every role: `editor-<institute slug>` in each institute's editors group, the
programme manager `manager` in `programme managers` (its group made by a migration), and the
trainer `trainer1`, linked to a demo instructor who teaches some of the demo courses. They
share one password (`--staff-password`) and have verified addresses `<username>@example.com`.

Passwords are shown only when this module generates them. On a rerun without a password the
existing ones are kept (the caller says so) rather than replaced by a new one nobody saw.
Hashing is deliberately slow, so all learners share one hash computed once: a thousand
learners cost one hash, not a thousand.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import Instructor
from demo.data import LEARNER_FIRST_NAMES, LEARNER_LAST_NAMES
from demo.plan import SEED
from institutes.regions import Region
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from learners.models import LearnerAudience, Profile

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.com"
LEARNER_PREFIX, LEARNER_DOMAIN = "learner", "@example.com"
EDITOR_PREFIX = "editor-"
MANAGER_USERNAME = "manager"
TRAINER_USERNAME = "trainer1"
STAFF_DOMAIN = "@example.com"
BATCH_SIZE = 1000

# Where the demo learners work or study, by audience (fictional companies and start-ups).
ORGANISATIONS = {
    LearnerAudience.STUDENT: (
        "Université Mohammed V de Rabat",
        "Université Hassan II de Casablanca",
        "Université Cadi Ayyad",
        "Université Sidi Mohamed Ben Abdellah",
        "Université Ibn Zohr",
        "Université Abdelmalek Essaâdi",
        "Université Mohammed Premier",
        "ENSIAS",
    ),
    LearnerAudience.PUBLIC_SERVANT: (
        "Ministère de la Transition numérique",
        "Agence de développement du digital",
        "Direction régionale de l'éducation",
        "Commune urbaine",
        "Conseil régional",
        "Trésorerie générale",
    ),
    LearnerAudience.SME_STAFF: (
        "Atlas Logistique SARL",
        "Souss Agro Export",
        "Tadelakt Design",
        "Médina Textiles",
        "Oriental Transport",
        "Argan Cosmétique",
    ),
    LearnerAudience.STARTUP: (
        "DataSouk",
        "Sahara Vision AI",
        "Darija Labs",
        "AgriSense Maroc",
        "Nafida Health",
        "Qalam Edtech",
    ),
    LearnerAudience.RESEARCHER: (
        "Laboratoire d'informatique et d'aide à la décision",
        "Centre de recherche en traitement des langues",
        "Laboratoire de mathématiques appliquées",
        "Institut de recherche en énergie solaire",
        "Laboratoire de télédétection",
    ),
    LearnerAudience.OTHER: ("Consultante indépendante", "Association Tech4Good", "Sans emploi"),
}
# Preferred languages: mostly French, then Arabic, then English.
LANGUAGE_WEIGHTS = {"fr": 5, "ar": 3, "en": 2}
AUDIENCE_WEIGHTS = {
    LearnerAudience.STUDENT: 5,
    LearnerAudience.PUBLIC_SERVANT: 4,
    LearnerAudience.SME_STAFF: 3,
    LearnerAudience.STARTUP: 2,
    LearnerAudience.RESEARCHER: 2,
    LearnerAudience.OTHER: 1,
}
PROFILE_FIELDS = ["full_name", "region", "audience", "organisation", "preferred_language"]


@dataclass
class Accounts:
    """What happened to one kind of account, for the command to report."""

    created: int
    generated_password: str | None
    note: str


def learner_email(number: int) -> str:
    return f"{LEARNER_PREFIX}{number}{LEARNER_DOMAIN}"


def learner_number(username: str) -> int | None:
    """3 for `learner3@example.com`; None for any other username."""
    if not (username.startswith(LEARNER_PREFIX) and username.endswith(LEARNER_DOMAIN)):
        return None
    digits = username[len(LEARNER_PREFIX) : -len(LEARNER_DOMAIN)]
    if not digits.isdigit() or digits.startswith("0"):
        return None
    return int(digits)


def learner_name(number: int) -> tuple[str, str]:
    first = LEARNER_FIRST_NAMES[(number - 1) % len(LEARNER_FIRST_NAMES)]
    last = LEARNER_LAST_NAMES[(number - 1) * 7 % len(LEARNER_LAST_NAMES)]
    return first, last


def learner_profile(number: int) -> dict:
    """The demo profile of learner `number`: the same on every machine and every run."""
    rng = random.Random(f"{SEED}:learner:{number}")
    first, last = learner_name(number)
    audience = rng.choices(list(AUDIENCE_WEIGHTS), weights=list(AUDIENCE_WEIGHTS.values()))[0]
    return {
        "full_name": f"{first} {last}",
        "region": rng.choice(Region.values),
        "audience": audience.value,
        "organisation": rng.choice(ORGANISATIONS[audience]),
        "preferred_language": rng.choices(
            list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values())
        )[0],
    }


def demo_learners(count: int):
    """{number: user} of the demo learners `1..count` that exist."""
    User = get_user_model()
    users = User.objects.filter(
        username__startswith=LEARNER_PREFIX, username__endswith=LEARNER_DOMAIN
    ).order_by("pk")
    found = {}
    for user in users.iterator(chunk_size=BATCH_SIZE):
        number = learner_number(user.username)
        if number is not None and number <= count:
            found[number] = user
    return found


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_admin(password: str | None = None) -> Accounts:
    """The superuser `admin`, with a verified email address (staff log in through allauth, by
    username or email); its password is set only when given or when it is created."""
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        generated = None if password else generate_password()
        user = User.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, password or generated)
        _ensure_verified_email(user, ADMIN_EMAIL)
        return Accounts(1, generated, "created")

    wanted = {"email": ADMIN_EMAIL, "is_staff": True, "is_superuser": True, "is_active": True}
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if password:
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    _ensure_verified_email(user, ADMIN_EMAIL)
    note = "password set" if password else "existing password kept"
    return Accounts(0, None, note)


def _ensure_verified_email(user, email):
    """`email` verified and primary for `user`, unless another account verified it first."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None and EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return
    if address is not None and address.verified and address.primary:
        return
    others = EmailAddress.objects.filter(user=user, primary=True)
    others.exclude(pk=address.pk if address else None).update(primary=False)
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


def ensure_learners(count: int, password: str | None = None, now=None) -> Accounts:
    """`learner1@example.com` … `learner{count}@example.com`, all sharing one password,
    verified, with complete profiles."""
    User = get_user_model()
    now = now or timezone.now()
    existing = demo_learners(count)
    missing = [n for n in range(1, count + 1) if n not in existing]

    generated = None
    if password:
        hashed = make_password(password)
        note = "password set"
    else:
        # New learners get the password the existing ones already have, so they all share one.
        hashed = (
            User.objects.filter(
                username__startswith=LEARNER_PREFIX, username__endswith=LEARNER_DOMAIN
            )
            .exclude(password__startswith="!")
            .exclude(password="")
            .values_list("password", flat=True)
            .first()
        )
        note = "existing password kept"
        if hashed is None and missing:
            generated = generate_password()
            hashed = make_password(generated)
            note = "created"

    # Existing learners: the demo's email, names and active flag put back; the password when given.
    stale = []
    for number, user in existing.items():
        first_name, last_name = learner_name(number)
        wanted = {
            "email": learner_email(number),
            "first_name": first_name,
            "last_name": last_name,
            "is_active": True,
        }
        if password:
            wanted["password"] = hashed
        if any(getattr(user, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(user, name, value)
            stale.append(user)
    if stale:
        fields = ["email", "first_name", "last_name", "is_active"]
        User.objects.bulk_update(stale, [*fields, "password"] if password else fields, BATCH_SIZE)

    new = []
    for number in missing:
        first_name, last_name = learner_name(number)
        email = learner_email(number)
        new.append(
            User(
                username=email,
                email=email,
                first_name=first_name,
                last_name=last_name,
                is_active=True,
                password=hashed,
                date_joined=now,
            )
        )
    User.objects.bulk_create(new, batch_size=BATCH_SIZE)

    learners = demo_learners(count)
    _ensure_verified_emails(learners)
    _ensure_profiles(learners, now)
    return Accounts(len(new), generated, note)


def _ensure_verified_emails(learners):
    """Each learner's address verified and primary (another primary address is demoted).

    An address already verified by somebody else's account is left alone: allauth allows one
    verified owner per address, and that account is not ours to change.
    """
    user_ids = {user.pk: learner_email(number) for number, user in learners.items()}
    addresses = EmailAddress.objects.filter(user__in=_learner_users()).only(
        "pk", "user_id", "email", "verified", "primary"
    )
    ours, demote, fix = {}, [], []
    for address in addresses.iterator(chunk_size=BATCH_SIZE):
        email = user_ids.get(address.user_id)
        if email is None:
            continue
        if address.email.lower() == email:
            ours[address.user_id] = address
            if not (address.verified and address.primary):
                fix.append(address.pk)
        elif address.primary:
            demote.append(address.pk)
    taken = set(
        EmailAddress.objects.filter(verified=True, email__startswith=LEARNER_PREFIX)
        .filter(email__endswith=LEARNER_DOMAIN)
        .exclude(user__in=_learner_users())
        .values_list("email", flat=True)
    )
    for chunk in _chunks(demote, BATCH_SIZE):
        EmailAddress.objects.filter(pk__in=chunk).update(primary=False)
    for chunk in _chunks(fix, BATCH_SIZE):
        EmailAddress.objects.filter(pk__in=chunk).update(verified=True, primary=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email, verified=True, primary=True)
            for user_id, email in user_ids.items()
            if user_id not in ours and email not in taken
        ],
        batch_size=BATCH_SIZE,
    )


def _ensure_profiles(learners, now):
    """A complete profile per learner; the privacy notice accepted on their first seeding."""
    user_ids = [user.pk for user in learners.values()]
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.filter(user__in=_learner_users()).iterator(
            chunk_size=BATCH_SIZE
        )
    }
    new, stale = [], []
    number_of = {user.pk: number for number, user in learners.items()}
    for user_id in user_ids:
        number = number_of[user_id]
        values = learner_profile(number)
        profile = profiles.get(user_id)
        if profile is None:
            # Accepted a few days to a few months before the seeding, as real learners did.
            accepted = now - timedelta(days=number * 37 % 120 + 1, minutes=number * 13 % 600)
            new.append(Profile(user_id=user_id, privacy_accepted_at=accepted, **values))
            continue
        differs = any(getattr(profile, name) != value for name, value in values.items())
        if differs or profile.privacy_accepted_at is None:
            for name, value in values.items():
                setattr(profile, name, value)
            profile.privacy_accepted_at = profile.privacy_accepted_at or now
            stale.append(profile)
    Profile.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if stale:
        Profile.objects.bulk_update(stale, [*PROFILE_FIELDS, "privacy_accepted_at"], BATCH_SIZE)


def _learner_users():
    """The demo learners' accounts, as a subquery (no list of ids in the SQL)."""
    return get_user_model().objects.filter(
        username__startswith=LEARNER_PREFIX, username__endswith=LEARNER_DOMAIN
    )


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Staff: one account per role


def editor_username(institute_slug: str) -> str:
    return f"{EDITOR_PREFIX}{institute_slug}"


def ensure_staff(institutes, trainer_instructor, password: str | None = None, now=None) -> Accounts:
    """The demo staff: an editor per institute in its editors group, the programme manager and
    the trainer linked to `trainer_instructor`; all verified, sharing one password.

    `institutes` maps slugs to institute pages (each with its editors group). On a rerun the
    accounts are put back as the demo has them (active, in their group, the trainer linked);
    groups given to them by hand are kept.
    """
    User = get_user_model()
    now = now or timezone.now()
    managers = Group.objects.filter(name__iexact=PROGRAMME_MANAGERS_GROUP).first()
    if managers is None:  # made by a migration (learners.0004); again if it was deleted
        managers = Group.objects.create(name=PROGRAMME_MANAGERS_GROUP)
    wanted = {  # username -> (first name, last name, group)
        editor_username(slug): ("Éditeur", institute.title[:150], institute.editors)
        for slug, institute in sorted(institutes.items())
    }
    wanted[MANAGER_USERNAME] = ("Responsable", "de programme", managers)
    first, _space, last = trainer_instructor.name.partition(" ")
    wanted[TRAINER_USERNAME] = (first, last, None)

    existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    generated = None
    if password:
        hashed, note = make_password(password), "password set"
    else:
        hashed = next(
            (u.password for u in existing.values() if u.has_usable_password() and u.password),
            None,
        )
        note = "existing password kept"
        if hashed is None:
            generated = generate_password()
            hashed, note = make_password(generated), "created"

    created = 0
    for username, (first_name, last_name, group) in wanted.items():
        email = f"{username}{STAFF_DOMAIN}"
        user = existing.get(username)
        values = {"email": email, "first_name": first_name, "last_name": last_name}
        if user is None:
            user = User.objects.create(
                username=username, is_active=True, password=hashed, date_joined=now, **values
            )
            created += 1
        else:
            values["is_active"] = True
            if password:
                values["password"] = hashed
            changed = [name for name, value in values.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, values[name])
            if changed:
                user.save(update_fields=changed)
        if group is not None:
            user.groups.add(group)
        _ensure_verified_email(user, email)
        existing[username] = user

    trainer = existing[TRAINER_USERNAME]
    Instructor.objects.filter(user=trainer).exclude(pk=trainer_instructor.pk).update(user=None)
    if trainer_instructor.user_id != trainer.pk:
        trainer_instructor.user = trainer
        trainer_instructor.save(update_fields=["user"])
    Profile.objects.get_or_create(
        user=trainer,
        defaults={
            "full_name": trainer_instructor.name[:150],
            "organisation": trainer_instructor.organisation,
            "privacy_accepted_at": now,
        },
    )
    return Accounts(created, generated, note)
