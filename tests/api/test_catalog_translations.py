"""Statuses and products carry their names in French and Dutch through the API too."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_status_is_created_and_retranslated_with_its_names(api, team):
    status = api.post("/statuses", team.token("admin"),
                      json={"name": "Escalated", "category": "open", "name_translations": {"fr": "Escaladé"}}).json()
    assert status["name_translations"] == {"fr": "Escaladé"}
    patched = api.patch(f"/statuses/{status['id']}", team.token("admin"), json={"name_translations": {"nl": "Geëscaleerd"}}).json()
    assert patched["name_translations"] == {"nl": "Geëscaleerd"}


def test_a_translation_in_an_unknown_language_is_refused(api, team):
    response = api.post("/statuses", team.token("admin"),
                        json={"name": "Escalated", "category": "open", "name_translations": {"de": "Eskaliert"}})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name_translations": "unknown_language"}


def test_renaming_a_product_keeps_its_translations_unless_sent(api, team):
    product = api.post("/products", team.token("admin"), json={"name": "Mobile app", "name_translations": {"fr": "Application"}}).json()
    renamed = api.patch(f"/products/{product['id']}", team.token("admin"), json={"name": "Phone app"}).json()
    assert (renamed["name"], renamed["name_translations"]) == ("Phone app", {"fr": "Application"})
