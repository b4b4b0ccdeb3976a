"""Each institute has its editors group, made and renamed with it."""

import pytest
from django.contrib.auth.models import Group

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_institute_gets_its_editors_group_with_admin_access():
    tree = factories.site_tree()
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    group = fes.editors
    assert group.name == "Jazari Institute Fès editors"
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {("wagtailadmin", "access_admin"), ("learners", "view_profile")} <= codenames


def test_renaming_the_institute_renames_its_group():
    tree = factories.site_tree()
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    fes.title = "Jazari Institute Fès-Meknès"
    fes.save()
    fes.editors.refresh_from_db()
    assert fes.editors.name == "Jazari Institute Fès-Meknès editors"
    assert Group.objects.filter(name="Jazari Institute Fès editors").count() == 0


def test_a_group_chosen_by_an_administrator_keeps_its_name():
    tree = factories.site_tree()
    chosen = Group.objects.create(name="Équipe pédagogique de Fès")
    fes = factories.institute(tree, "Jazari Institute Fès", editors=chosen)
    fes.title = "Jazari Institute Fès-Meknès"
    fes.save()
    chosen.refresh_from_db()
    assert fes.editors_id == chosen.pk
    assert chosen.name == "Équipe pédagogique de Fès"
