"""core.actions.helpdesk.update_helpdesk_settings: who may change the helpdesk's identity, and the cached reader."""

from __future__ import annotations

import pytest

from comptoir.core.actions.helpdesk import update_helpdesk_settings
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import HelpdeskSettings, Role
from comptoir.core.permissions import PermissionDenied
from comptoir.core.queries import helpdesk_settings
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_before_any_save_the_reader_gives_the_defaults_without_writing():
    current = helpdesk_settings()
    assert (current.name, current.primary_color) == ("Comptoir", "#2f5bea")
    assert not HelpdeskSettings.objects.exists()


def test_the_first_save_creates_the_one_row():
    update_helpdesk_settings({"name": "Desk"}, actor=make_agent(role=Role.ADMIN), via="admin")
    update_helpdesk_settings({"name": "Desk 2"}, actor=make_agent(role=Role.OWNER), via="admin")
    assert list(HelpdeskSettings.objects.values_list("pk", "name")) == [(1, "Desk 2")]


def test_a_supervisor_cannot_rename_the_helpdesk():
    with pytest.raises(PermissionDenied):
        update_helpdesk_settings({"name": "Mine"}, actor=make_agent(role=Role.SUPERVISOR), via="admin")
    assert not HelpdeskSettings.objects.exists()


def test_the_cached_reader_sees_the_change_in_the_same_process(django_assert_num_queries):
    assert helpdesk_settings().name == "Comptoir"
    with django_assert_num_queries(0):
        helpdesk_settings()  # cached
    update_helpdesk_settings({"name": "Renamed"}, actor=make_agent(role=Role.ADMIN), via="admin")
    assert helpdesk_settings().name == "Renamed"


def test_a_refused_value_changes_nothing_else():
    admin = make_agent(role=Role.ADMIN)
    with pytest.raises(ValidationFailed) as refused:
        update_helpdesk_settings({"name": "New name", "accent_color": "#12345"}, actor=admin, via="admin")
    assert refused.value.fields == {"accent_color": "invalid"}
    assert helpdesk_settings().name == "Comptoir"
    assert not HelpdeskSettings.objects.exists()


def test_an_unknown_language_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        update_helpdesk_settings({"default_locale": "xx"}, actor=make_agent(role=Role.ADMIN), via="admin")
    assert refused.value.fields == {"default_locale": "invalid"}
