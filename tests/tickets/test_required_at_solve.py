"""A field the admin marks "required to solve" blocks solving a ticket that lacks it, on every path."""

from __future__ import annotations

import pytest

from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.models import FieldKind, StatusCategory
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_agent(role=Role.ADMIN)


@pytest.fixture
def resolution_code(admin):
    """What an admin gets by ticking "Required to solve a ticket" on a dropdown."""
    return actions.create_custom_field(key="resolution", label="Resolution", kind=FieldKind.DROPDOWN,
                                       choices=["fixed", "workaround"], required_in=["solved"], actor=admin, via="admin")


def test_solving_a_ticket_without_the_field_is_refused_naming_it(admin, resolution_code):
    ticket = make_ticket(status="open")
    with pytest.raises(ValidationFailed) as refused:
        actions.update_ticket(ticket, {"status": "solved"}, actor=admin, via="web")
    assert refused.value.fields == {"resolution": "required"}
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.OPEN


def test_solving_with_a_reply_is_refused_too(admin, resolution_code):
    ticket = make_ticket(status="open")
    with pytest.raises(ValidationFailed):
        actions.add_reply(ticket, body_text="This should be fixed now.", new_status="solved", actor=admin, via="web")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.OPEN


def test_filling_the_field_in_the_same_change_lets_the_ticket_be_solved(admin, resolution_code):
    ticket = make_ticket(status="open")
    actions.update_ticket(ticket, {"custom_fields": {"resolution": "fixed"}, "status": "solved"}, actor=admin, via="web")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.SOLVED


def test_other_statuses_do_not_need_the_field(admin, resolution_code):
    ticket = make_ticket(status="open")
    actions.update_ticket(ticket, {"status": "pending"}, actor=admin, via="web")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.PENDING


def test_unticking_required_lets_the_ticket_be_solved_at_once(admin, resolution_code):
    ticket = make_ticket(status="open")
    actions.update_custom_field(resolution_code, {"required_in": []}, actor=admin, via="admin")
    actions.update_ticket(ticket, {"status": "solved"}, actor=admin, via="web")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.SOLVED
