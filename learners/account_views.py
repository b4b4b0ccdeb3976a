"""The learner's personal data: the privacy notice, the download, the account's deletion
(law 09-08's rights).

Thin views over `learners.personal_data` (the export) and `learners.erasure` (the signed link and
the deletion itself).
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from learners.erasure import (
    ErasureError,
    check_erasable,
    erase_account,
    read_token,
    send_confirmation,
)
from learners.forms import DeleteAccountForm
from learners.personal_data import export


@require_GET
def privacy_notice(request):
    """The privacy notice, with the controller, the CNDP declaration and the retention periods
    of the settings."""
    return render(
        request,
        "learners/privacy.html",
        {
            "controller_name": settings.PRIVACY_CONTROLLER_NAME,
            "controller_address": settings.PRIVACY_CONTROLLER_ADDRESS,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "cndp_number": settings.CNDP_DECLARATION_NUMBER,
            "unverified_days": settings.ACCOUNT_PURGE_UNVERIFIED_DAYS,
            "inactive_days": settings.ACCOUNT_PURGE_INACTIVE_DAYS,
            "warning_days": settings.ACCOUNT_PURGE_WARNING_DAYS,
            "link_hours": settings.ACCOUNT_DELETION_LINK_HOURS,
        },
    )


@login_required
@require_GET
def export_data(request):
    """All of the learner's data as a JSON file to download."""
    content = json.dumps(export(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="jazari-skills-my-data-{day}.json"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """What deletion does, the certificate choice and the password; then the email with the link."""
    user = request.user
    try:
        check_erasable(user)
    except ErasureError as error:
        messages.error(request, error.message)
        return redirect("learners:dashboard")
    status = 200
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            keep = form.cleaned_data["keep_certificates"]
            send_confirmation(user, keep_certificates=keep, request=request)
            return render(request, "learners/delete_account_sent.html", {"email": user.email})
        status = 400
    return render(request, "learners/delete_account.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm_deletion(request, token):
    """The emailed link: a page with the button (GET), the deletion itself (POST)."""
    try:
        asked = read_token(token)
    except ErasureError as error:
        return render(request, "learners/delete_account_invalid.html", {"error": error}, status=400)
    if request.method == "GET":
        return render(
            request,
            "learners/delete_account_confirm.html",
            {"asked": asked, "email": asked.user.email},
        )
    signed_in_as_them = request.user.is_authenticated and request.user.pk == asked.user.pk
    try:
        erase_account(
            asked.user,
            keep_certificates=asked.keep_certificates,
            actor=asked.user,
            reason="learner",
        )
    except ErasureError as error:
        return render(request, "learners/delete_account_invalid.html", {"error": error}, status=400)
    if signed_in_as_them:
        logout(request)
    return redirect(reverse("learners:account_deleted"))
