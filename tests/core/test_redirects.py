"""core.redirects.safe_next: a `next` taken from the request never leaves the site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from comptoir.core.redirects import safe_next

OFF_SITE = ["//evil.example", "https://evil.example", "javascript:alert(document.cookie)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_an_off_site_next_falls_back_to_the_given_page(target):
    request = RequestFactory().post("/agent/notifications/read/", {"next": target})
    assert safe_next(request, "/agent/") == "/agent/"


def test_a_local_path_is_kept_with_its_query_string():
    request = RequestFactory().post("/agent/notifications/read/", {"next": "/agent/tickets/?page=2"})
    assert safe_next(request, "/agent/") == "/agent/tickets/?page=2"


def test_a_url_name_is_accepted_as_fallback():
    request = RequestFactory().post("/agent/notifications/read/")
    assert safe_next(request, "agent:home") == "/agent/"


def test_a_next_in_the_query_string_is_checked_the_same_way():
    factory = RequestFactory()
    assert safe_next(factory.get("/x/", {"next": "/agent/contacts/"}), "/agent/") == "/agent/contacts/"
    assert safe_next(factory.get("/x/", {"next": "https://evil.example/"}), "/agent/") == "/agent/"


def test_an_absolute_url_on_this_site_is_kept_but_not_a_downgrade_to_http():
    factory = RequestFactory()
    same_site = factory.post("/x/", {"next": "http://testserver/agent/"})
    assert safe_next(same_site, "/fallback/") == "http://testserver/agent/"
    secure = factory.post("/x/", {"next": "http://testserver/agent/"}, secure=True)
    assert safe_next(secure, "/fallback/") == "/fallback/"
