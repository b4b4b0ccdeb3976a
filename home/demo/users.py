"""The demo administrator and learners, so that anyone can try the site at once.

The learners are plain active users for now: learner profiles (region, privacy notice
accepted) and email verification arrive with the learners app in a later issue, which should
extend `ensure_learners` to create them complete and verified. Learners are `bulk_create`d,
so no `post_save` handler runs for them: profiles must be created here explicitly, not by a
signal.

Passwords are shown only when this module generates them. On a rerun without a password the
existing ones are kept (the caller says so) rather than replaced by a new one nobody saw.
Hashing is deliberately slow, so all learners share one hash computed once: a thousand
learners cost one hash, not a thousand.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from home.demo.data import LEARNER_FIRST_NAMES, LEARNER_LAST_NAMES

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.com"


@dataclass
class Accounts:
    """What happened to one kind of account, for the command to report."""

    created: int
    generated_password: str | None
    note: str


def learner_email(number: int) -> str:
    return f"learner{number}@example.com"


def learner_name(number: int) -> tuple[str, str]:
    first = LEARNER_FIRST_NAMES[(number - 1) % len(LEARNER_FIRST_NAMES)]
    last = LEARNER_LAST_NAMES[(number - 1) * 7 % len(LEARNER_LAST_NAMES)]
    return first, last


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_admin(password: str | None = None) -> Accounts:
    """The superuser `admin`; its password is set only when given or when it is created."""
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        generated = None if password else generate_password()
        User.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, password or generated)
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
    note = "password set" if password else "existing password kept"
    return Accounts(0, None, note)


def ensure_learners(count: int, password: str | None = None) -> Accounts:
    """`learner1@example.com` … `learner{count}@example.com`, all sharing one password."""
    User = get_user_model()
    emails = [learner_email(n) for n in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
    missing = [n for n in range(1, count + 1) if learner_email(n) not in existing]

    generated = None
    if password:
        hashed = make_password(password)
        note = "password set"
    else:
        # New learners get the password the existing ones already have, so they all share one.
        hashed = (
            User.objects.filter(username__startswith="learner", username__endswith="@example.com")
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

    learners = []
    for number in missing:
        first_name, last_name = learner_name(number)
        email = learner_email(number)
        learners.append(
            User(
                username=email,
                email=email,
                first_name=first_name,
                last_name=last_name,
                is_active=True,
                password=hashed,
            )
        )
    User.objects.bulk_create(learners)
    if password and existing:
        User.objects.filter(username__in=existing).update(password=hashed)
    return Accounts(len(learners), generated, note)
