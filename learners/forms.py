"""Learner forms: the profile asked at sign-up, and its later editing."""

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jazari import people
from learners.models import Profile

PROFILE_FIELDS = ["full_name", "region", "audience", "organisation", "preferred_language"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = PROFILE_FIELDS


class SignupProfileForm(forms.Form):
    """Added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS).

    A plain form, not a ModelForm: allauth's sign-up form inherits from it and has its own
    `save()`. The preferred language starts as the page's, so that a learner signing up on
    `/ar/` is written to in Arabic (the confirmation email first) unless they choose otherwise.
    """

    accept_privacy = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to my data being processed for my training."
        ),
        required=True,
        error_messages={"required": _("You need to accept the privacy notice to sign up.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile_fields = forms.fields_for_model(Profile, fields=PROFILE_FIELDS)
        accept = self.fields.pop("accept_privacy")
        self.fields.update(profile_fields)
        language = self.fields["preferred_language"]
        language.initial = people.site_language(translation.get_language())
        language.required = False  # left out: the page's
        self.fields["accept_privacy"] = accept

    def signup(self, request, user):
        """Called by allauth once the user exists: record the profile and the consent."""
        data = {name: self.cleaned_data.get(name) or "" for name in PROFILE_FIELDS}
        data["preferred_language"] = people.site_language(
            data["preferred_language"] or translation.get_language()
        )
        Profile.objects.create(user=user, privacy_accepted_at=timezone.now(), **data)
        user.first_name = data["full_name"][:150]
        user.save(update_fields=["first_name"])


class DeleteAccountForm(forms.Form):
    """What the learner decides before their account is deleted, confirmed by their password."""

    keep_certificates = forms.TypedChoiceField(
        label=_("Keep my certificates verifiable?"),
        choices=[
            ("yes", _("Yes: their verification pages keep showing my name and the course.")),
            ("no", _("No: revoke them and remove my name from them.")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
