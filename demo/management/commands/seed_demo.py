"""`manage.py seed_demo`: fill the site with fictional, clearly labelled demo data.

Idempotent, so `make run` calls it on every start; also the way to make large data sets for
benchmarks (`--courses 1000 --sessions-per-course 5`). The work is done by `demo`; this
command only reads options, refuses production, shows progress and reports.
"""

import argparse
import os
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.builder import DemoError, DemoSeeder, SeedOptions


def is_production():
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return settings.DEBUG is False and "production" in settings_module


class Command(BaseCommand):
    help = (
        "Create or update the demo data (fictional institutes, skills, courses, sessions, "
        "course material, learning paths, an administrator, learners and their "
        "certificates, staff trying every role). Safe to run again."
    )

    def add_arguments(self, parser):
        defaults = SeedOptions()
        parser.add_argument("--courses", type=_count, default=defaults.courses)
        parser.add_argument(
            "--sessions-per-course", type=_count, default=defaults.sessions_per_course
        )
        parser.add_argument("--learners", type=_count, default=defaults.learners)
        parser.add_argument(
            "--admin-password", help="Password of `admin`; generated and shown when it is new."
        )
        parser.add_argument(
            "--learner-password", help="Password of every demo learner; generated when new."
        )
        parser.add_argument(
            "--staff-password",
            help="Password of the demo staff (editor-<institute>, manager, trainer1); generated "
            "when new.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with production settings."
        )

    def handle(self, *args, **options):
        if is_production() and not options["force"]:
            raise CommandError(
                "Refusing to load demo data with production settings; use --force if you mean it."
            )
        seed_options = SeedOptions(
            courses=options["courses"],
            sessions_per_course=options["sessions_per_course"],
            learners=options["learners"],
            admin_password=options["admin_password"],
            learner_password=options["learner_password"],
            staff_password=options["staff_password"],
        )
        started = time.monotonic()
        # A bar on a terminal only; tqdm wants the raw stream, not Django's OutputWrapper.
        stream = getattr(self.stderr, "_out", sys.stderr)
        show = options["verbosity"] > 0 and stream.isatty()
        with tqdm(total=seed_options.courses, unit="course", file=stream, disable=not show) as bar:
            try:
                report = DemoSeeder(seed_options, progress=bar).run()
            except DemoError as error:
                raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started

        courses = report.courses
        self.stdout.write(
            f"Courses: {courses.created} created, {courses.updated} updated, "
            f"{courses.unchanged} unchanged."
        )
        for label, accounts in (
            ("admin", report.admin),
            ("learners", report.learners),
            ("staff", report.staff),
        ):
            self.stdout.write(f"{label.capitalize()}: {accounts.created} created, {accounts.note}.")
            if accounts.generated_password:
                self.stdout.write(
                    self.style.WARNING(
                        f"  Generated {label} password: {accounts.generated_password}"
                    )
                )
        materials, certificates = report.materials, report.certificates
        self.stdout.write(
            f"Material: {materials.created} created, {materials.documents_created} documents "
            f"created, {materials.documents_restored} files restored."
        )
        self.stdout.write(f"Certificates: {certificates.issued} issued.")
        self.stdout.write(
            f"Feedback: {report.feedback} answers written; organisers' message: "
            f"{'written' if report.message else 'none new'}."
        )
        if report.translations:
            self.stdout.write(
                f"Translations (ar, en): {report.translations.written} written, "
                f"{report.translations.unchanged} unchanged."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {seed_options.courses} courses, {report.sessions} sessions, "
                f"{report.institutes} institutes, {report.skills} skills, "
                f"{report.paths} learning paths, {materials.total} materials, "
                f"{certificates.total} certificates, "
                f"{seed_options.learners} learners in {elapsed:.1f} s."
            )
        )


def _count(value):
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {value!r}")
    return number
