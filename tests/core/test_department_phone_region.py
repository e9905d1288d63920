"""A department's phone region: the country its callers' national numbers belong to."""

from __future__ import annotations

import pytest

from comptoir.core.actions import create_department, update_department
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Department, Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_an_admin_sets_the_region_in_any_case():
    admin = make_agent(role=Role.ADMIN)
    department = create_department(name="Finance FR", slug="finance-fr", actor=admin, via="web", default_region="fr")
    assert Department.objects.get(pk=department.pk).default_region == "FR"


def test_a_blank_region_falls_back_to_the_setting():
    admin = make_agent(role=Role.ADMIN)
    department = create_department(name="Finance", slug="finance", actor=admin, via="web", default_region="BE")
    update_department(department, {"default_region": ""}, actor=admin, via="web")
    assert Department.objects.get(pk=department.pk).default_region == ""


@pytest.mark.parametrize("region", ["Belgium", "XX", "B", 32])
def test_something_that_is_no_country_code_is_refused(region):
    admin = make_agent(role=Role.ADMIN)
    department = create_department(name="Mobile", slug="mobile", actor=admin, via="web")
    with pytest.raises(ValidationFailed) as err:
        update_department(department, {"default_region": region}, actor=admin, via="web")
    assert err.value.fields == {"default_region": "invalid"}
    assert Department.objects.get(pk=department.pk).default_region == ""
