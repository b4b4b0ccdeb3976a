"""The course page's "Material" section, the admin inline, and a collection per institute."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.timezone import localtime
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from materials.collections import ensure_institute_collections, institute_collection
from materials.models import InstituteCollection, Material
from tests import factories
from tests.material_factories import document, enrol, material, superuser

pytestmark = pytest.mark.django_db


def material_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        li.select_one(".material__title").get_text(strip=True): li
        for li in soup.select("#materials .material")
    }


def test_course_page_lists_material_with_links_or_reasons(client, small_network):
    """Title, type and size, session; a download link or why it is locked, per viewer."""
    intro = small_network["intro"]
    material(intro, document(title="Plan"), visibility="everyone")
    material(intro, document(title="Slides"), visibility="enrolled")
    material(
        intro,
        document(title="Corrigés"),
        visibility="attended",
        session=small_network["intro_in_person"],
    )

    rows = material_rows(client.get(intro.url))
    assert list(rows) == ["Plan", "Slides", "Corrigés"]
    assert rows["Plan"].select_one("a")["href"].endswith("/download/")
    assert "PDF" in rows["Plan"].select_one(".material__meta").get_text()
    assert "Se connecter pour télécharger" in rows["Slides"].get_text()
    assert "/accounts/login/" in rows["Slides"].select_one(".material__locked a")["href"]
    assert "session" in rows["Corrigés"].select_one(".material__meta").get_text()

    learner = factories.learner()
    enrol(learner, small_network["intro_in_person"], "confirmed")
    client.force_login(learner)
    rows = material_rows(client.get(intro.url))
    assert rows["Slides"].select_one(".material__title a") is not None
    assert rows["Corrigés"].select_one(".material__title a") is None
    assert "Réservé aux apprenants présents" in rows["Corrigés"].get_text()


def test_course_page_material_costs_one_query_whatever_the_number(client, small_network):
    """Ten files cost the page no more queries than one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    intro = small_network["intro"]
    material(intro, visibility="everyone")
    client.get(intro.url)
    with CaptureQueriesContext(connection) as one:
        client.get(intro.url)
    for number in range(9):
        material(intro, document(title=f"Fichier {number}"), visibility="enrolled")
    with CaptureQueriesContext(connection) as ten:
        client.get(intro.url)
    assert len(ten) == len(one)


def admin_course_form(course, materials):
    from courses.models import Language

    data = factories.course_form(course.title, course.institute)
    data.update(
        nested_form_data(
            {
                "materials": inline_formset(materials),
                "sessions": inline_formset(
                    [
                        {
                            **factories.session_form(
                                s.institute,
                                starts_at=localtime(s.starts_at).strftime("%Y-%m-%d %H:%M"),
                                ends_at=localtime(s.ends_at).strftime("%Y-%m-%d %H:%M"),
                                mode=s.mode,
                                online_url=s.online_url,
                                capacity=str(s.capacity),
                            ),
                            "id": str(s.pk),
                        }
                        for s in course.sessions.order_by("pk")
                    ],
                    initial=course.sessions.count(),
                ),
            }
        )
    )
    data["slug"] = course.slug
    data["languages"] = [str(pk) for pk in Language.objects.values_list("pk", flat=True)[:1]]
    return data


def test_admin_inline_offers_only_the_courses_sessions(client, small_network):
    """The material inline's session choice lists this course's sessions, and a foreign one is
    refused."""
    intro, llm = small_network["intro"], small_network["llm"]
    client.force_login(superuser())
    response = client.get(reverse("wagtailadmin_pages:edit", args=[intro.pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    template = soup.find(id="id_materials-EMPTY_FORM_TEMPLATE")
    assert template is not None
    offered = BeautifulSoup(template.decode_contents(), "html.parser")
    values = {o["value"] for o in offered.select("select[name$='-session'] option") if o["value"]}
    assert values == {str(s.pk) for s in intro.sessions.all()}

    doc = document(collection=institute_collection(intro.institute))
    foreign = llm.sessions.get()
    data = admin_course_form(
        intro,
        [
            {
                "document": str(doc.pk),
                "title": "",
                "session": str(foreign.pk),
                "visibility": "enrolled",
                "id": "",
            }
        ],
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[intro.pk]), data)
    assert response.status_code == 200
    assert not Material.objects.exists()

    data = admin_course_form(
        intro,
        [
            {
                "document": str(doc.pk),
                "title": "Exercices",
                "session": str(small_network["intro_online"].pk),
                "visibility": "attended",
                "id": "",
            }
        ],
    )
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[intro.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Material.objects.get()
    assert (saved.session, saved.visibility, saved.title) == (
        small_network["intro_online"],
        "attended",
        "Exercices",
    )


def test_each_institute_gets_its_collection_and_editors_their_rights(tree):
    """Saving an institute makes its collection; its editors may add, edit and choose there."""
    editors = Group.objects.create(name="Éditeurs Fès")
    fes = factories.institute(tree, "Jazari Institute Fès", editors=editors)
    collection = InstituteCollection.objects.get(institute=fes).collection
    assert collection.name == "Jazari Institute Fès"
    assert collection.get_parent() == Collection.get_first_root_node()
    assert set(
        GroupCollectionPermission.objects.filter(group=editors, collection=collection).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_document", "change_document", "choose_document"}

    fes.title = "Jazari Institute Fès-Meknès"
    fes.save()
    collection.refresh_from_db()
    assert collection.name == "Jazari Institute Fès-Meknès"
    assert institute_collection(fes) == collection
    assert ensure_institute_collections() == {fes.pk: collection}
