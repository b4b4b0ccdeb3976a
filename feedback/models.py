"""Learners' feedback on a session they attended: one answer per enrolment.

Written only by `feedback.services`, which says who may answer, until when an answer may be
changed, and counts the scores shown to editors, on the course page and in the programme's
figures.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rating(models.IntegerChoices):
    """How the session went, from 1 (poor) to 5 (excellent)."""

    POOR = 1, _("Poor")
    FAIR = 2, _("Fair")
    GOOD = 3, _("Good")
    VERY_GOOD = 4, _("Very good")
    EXCELLENT = 5, _("Excellent")


# Longest free text kept per answer.
TEXT_MAX_LENGTH = 3000


class Feedback(models.Model):
    """What one learner thought of a session they attended, asked for by email the day after.

    Deleted with its enrolment; changed by the learner for a while after it was first given
    (`feedback.services.EDIT_DAYS`).
    """

    enrolment = models.OneToOneField(
        "enrolments.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )

    # The answer
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        choices=Rating.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    useful = models.TextField(_("what was useful"), max_length=TEXT_MAX_LENGTH, blank=True)
    improve = models.TextField(_("what to improve"), max_length=TEXT_MAX_LENGTH, blank=True)
    would_recommend = models.BooleanField(_("would recommend"))

    # When: first given, last changed (set by the services, which take `now`)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.rating}/5"
