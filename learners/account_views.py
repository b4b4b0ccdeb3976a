"""The learner's personal data: download it (law 09-08's right of access).

A thin view over `learners.personal_data`.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from learners.personal_data import export


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
