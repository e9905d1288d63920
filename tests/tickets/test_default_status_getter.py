"""The default-status getter only reads; putting missing statuses back is a catalog action."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.core.errors import PermissionDenied
from comptoir.tickets.actions import restore_default_statuses
from comptoir.tickets.models import Status, StatusCategory
from comptoir.tickets.statuses import MissingStatus, default_status, forget_cached_statuses
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def _lose_on_hold_statuses():
    """What a flushed test database or a hand-made DELETE leaves: no on-hold status at all."""
    Status.objects.filter(category=StatusCategory.ON_HOLD).delete()
    forget_cached_statuses()


def test_asking_for_a_missing_default_status_creates_nothing():
    _lose_on_hold_statuses()

    with pytest.raises(MissingStatus):
        default_status(StatusCategory.ON_HOLD)

    assert not Status.objects.filter(category=StatusCategory.ON_HOLD).exists()


def test_the_catalog_action_puts_the_seeded_default_back():
    _lose_on_hold_statuses()

    created = restore_default_statuses(actor=SYSTEM, via="test")

    assert [(s.name, s.category, s.is_default, s.active) for s in created] == [("On hold", "on_hold", True, True)]
    assert default_status(StatusCategory.ON_HOLD) == created[0]


def test_categories_that_have_a_status_are_left_alone():
    before = list(Status.objects.order_by("pk").values_list("pk", "name", "is_default"))

    assert restore_default_statuses(actor=SYSTEM, via="test") == []
    assert list(Status.objects.order_by("pk").values_list("pk", "name", "is_default")) == before


def test_only_admins_restore_statuses():
    _lose_on_hold_statuses()

    with pytest.raises(PermissionDenied):
        restore_default_statuses(actor=make_agent(), via="web")
