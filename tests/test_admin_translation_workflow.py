"""Editors translate their institute's pages with wagtail-localize, and only theirs: the
"Translate" action, the translated page in the Arabic tree, the strings still to translate
after the original changes, and "Sync translated pages"."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from courses.models import CoursePage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return factories.small_network(factories.site_tree())


@pytest.fixture
def editor(client, network):
    """An editor of the Fès institute, logged in to the admin."""
    user = get_user_model().objects.create_user("editor-fes", "editor-fes@example.com", "pw")
    user.groups.add(network["fes"].editors)
    client.force_login(user)
    return user


def refused(response):
    """Wagtail's admin answers a refused action by sending the user back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def submit(client, page, language):
    locale = Locale.objects.get(language_code=language)
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    return client.post(url, {"locales": [locale.pk]})


def test_an_editor_translates_their_institutes_course(client, network, editor):
    """The Arabic translation is made, lies in the Arabic tree, and the editor can edit it."""
    llm = network["llm"]
    response = submit(client, llm, "ar")
    assert response.status_code == 302, response.status_code
    arabic = CoursePage.objects.get(translation_key=llm.translation_key, locale__language_code="ar")
    assert arabic.get_parent().locale.language_code == "ar"
    assert arabic.permissions_for_user(editor).can_edit()
    listing = client.get(reverse("wagtailadmin_explore", args=[arabic.get_parent().pk]))
    assert listing.status_code == 200
    assert f"/admin/pages/{arabic.pk}/edit/" in listing.content.decode()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[arabic.pk])).status_code == 200


def test_an_editor_cannot_translate_another_institutes_course(client, network, editor):
    """Jazari Root's course is not the Fès editor's to translate: refused, and nothing made."""
    intro = network["intro"]
    assert refused(submit(client, intro, "ar"))
    url = reverse("wagtail_localize:submit_page_translation", args=[intro.pk])
    assert refused(client.get(url))
    assert not CoursePage.objects.filter(
        translation_key=intro.translation_key, locale__language_code="ar"
    ).exists()


def test_a_changed_original_shows_what_is_left_to_translate(client, network, editor):
    """After the original changes, syncing brings its new text into the translation, which
    wagtail-localize then counts as not yet translated; the translation keeps the rest."""
    llm = network["llm"]
    assert submit(client, llm, "ar").status_code == 302
    translation = Translation.objects.get(
        source__object_id=llm.translation_key, target_locale__language_code="ar"
    )
    total, done = translation.get_progress()
    assert total > 0

    llm.refresh_from_db()
    llm.summary = "Un résumé réécrit par l'institut."
    llm.save_revision().publish()
    source = TranslationSource.objects.get(pk=translation.source_id)
    # The source keeps the text it was translated from until the translations are synced.
    assert json.loads(source.content_json)["summary"] != llm.summary

    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert client.get(sync).status_code == 200
    assert client.post(sync, {"publish_translations": ""}).status_code == 302
    source.refresh_from_db()
    assert json.loads(source.content_json)["summary"] == llm.summary
    new_total, new_done = translation.get_progress()
    assert new_done < new_total  # the new summary is still to translate


def test_an_editor_cannot_sync_another_institutes_translations(client, network, editor):
    intro = network["intro"]
    factories.translate(intro, "ar", title="مدخل")
    source = TranslationSource.objects.get(object_id=intro.translation_key)
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert refused(client.get(sync))
    assert refused(client.post(sync, {"publish_translations": ""}))
