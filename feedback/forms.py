"""The feedback form: a rating from 1 to 5, two optional texts, would recommend (yes or no)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import TEXT_MAX_LENGTH, Feedback, Rating
from feedback.services import Answer

YES, NO = "yes", "no"


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How would you rate this session?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    useful = forms.CharField(
        label=_("What was useful to you?"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    improve = forms.CharField(
        label=_("What should we improve?"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend this session to a colleague or a friend?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you would recommend it.")},
    )

    @classmethod
    def for_feedback(cls, feedback: Feedback | None, **kwargs):
        """The form, filled with the learner's answer when there is one."""
        if feedback is not None:
            kwargs.setdefault(
                "initial",
                {
                    "rating": feedback.rating,
                    "useful": feedback.useful,
                    "improve": feedback.improve,
                    "would_recommend": YES if feedback.would_recommend else NO,
                },
            )
        return cls(**kwargs)

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            rating=data["rating"],
            would_recommend=data["would_recommend"],
            useful=data["useful"].strip(),
            improve=data["improve"].strip(),
        )
