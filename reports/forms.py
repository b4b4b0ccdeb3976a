"""The Programme area's filters: a period of session start, one dimension or two."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jazari.admin_dates import AdminDateField, AdminDateInput
from reports.figures import DIMENSIONS, MEASURES, Period

DIMENSION_CHOICES = [(slug, dimension.name) for slug, dimension in DIMENSIONS.items()]


class FiguresForm(forms.Form):
    """Read from the query string; an invalid value is answered 400 with the form's messages."""

    starts_after = AdminDateField(
        label=_("Sessions starting from"), required=False, widget=AdminDateInput
    )
    starts_before = AdminDateField(
        label=_("Sessions starting until"), required=False, widget=AdminDateInput
    )
    by = forms.ChoiceField(
        label=_("Broken down by"), choices=DIMENSION_CHOICES, required=False, initial="region"
    )
    then = forms.ChoiceField(
        label=_("and by"),
        choices=[("", _("(nothing)")), *DIMENSION_CHOICES],
        required=False,
    )
    measure = forms.ChoiceField(
        label=_("Two-dimension table shows"),
        choices=list(MEASURES.items()),
        required=False,
        initial="trained",
    )

    def clean(self):
        data = super().clean()
        after, before = data.get("starts_after"), data.get("starts_before")
        for name, day in (("starts_after", after), ("starts_before", before)):
            if day and not 1900 <= day.year <= 9998:
                self.add_error(name, _("Enter a date between the years 1900 and 9998."))
                return data
        if after and before and after > before:
            raise forms.ValidationError(
                _("The period's first day comes after its last day."), code="period"
            )
        data["by"] = data.get("by") or "region"
        data["measure"] = data.get("measure") or "trained"
        if data.get("then") == data["by"]:
            self.add_error("then", _("Choose a second dimension different from the first."))
        return data

    def period(self) -> Period:
        return Period.of_days(self.cleaned_data["starts_after"], self.cleaned_data["starts_before"])

    def dimensions(self) -> tuple[str, ...]:
        by, then = self.cleaned_data["by"], self.cleaned_data.get("then")
        return (by, then) if then else (by,)
