"""tickets.actions catalog: statuses, tags and custom field definitions, changed by admins only."""

from __future__ import annotations

import pytest

from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.models import Role
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition, EventKind, Status, StatusCategory, Tag
from comptoir.tickets.statuses import default_status
from tests.factories import make_agent, make_contact, make_ticket, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_agent(Role.ADMIN, name="Alex Admin")


# Statuses -------------------------------------------------------------------


def test_a_new_default_status_is_used_for_its_category_at_once(admin):
    assert default_status(StatusCategory.ON_HOLD).name == "On hold"  # now cached in this process
    actions.create_status(name="Waiting on vendor", category=StatusCategory.ON_HOLD, is_default=True, actor=admin)
    assert default_status(StatusCategory.ON_HOLD).name == "Waiting on vendor"
    assert list(Status.objects.filter(category=StatusCategory.ON_HOLD, is_default=True).values_list("name", flat=True)) == ["Waiting on vendor"]


def test_a_status_name_is_unique(admin):
    with pytest.raises(Conflict):
        actions.create_status(name="Open", category=StatusCategory.OPEN, actor=admin)


def test_an_unknown_category_is_refused(admin):
    with pytest.raises(ValidationFailed) as caught:
        actions.create_status(name="Limbo", category="limbo", actor=admin)
    assert caught.value.fields == {"category": "invalid"}


def test_the_last_active_status_of_a_category_stays(admin):
    with pytest.raises(ValidationFailed) as caught:
        actions.deactivate_status(Status.objects.get(name="Pending"), actor=admin)
    assert caught.value.fields == {"active": "last_of_category"}
    assert Status.objects.get(name="Pending").active


def test_deactivating_a_default_hands_the_category_to_another_status(admin):
    escalated = actions.create_status(name="Escalated", category=StatusCategory.OPEN, actor=admin)
    actions.deactivate_status(Status.objects.get(name="Open"), actor=admin)
    assert default_status(StatusCategory.OPEN) == escalated
    assert not Status.objects.get(name="Open").is_default


def test_a_deactivated_status_cannot_be_the_default(admin):
    old = actions.create_status(name="Old", category=StatusCategory.OPEN, active=False, actor=admin)
    with pytest.raises(ValidationFailed):
        actions.update_status(old, {"is_default": True}, actor=admin)


def test_only_admins_change_statuses():
    with pytest.raises(PermissionDenied):
        actions.create_status(name="Mine", category=StatusCategory.OPEN, actor=make_agent(Role.SUPERVISOR))


def test_the_last_active_status_stays_over_http(api, admin):
    response = api.delete(f"/statuses/{Status.objects.get(name='Solved').pk}", make_token(admin))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"active": "last_of_category"}


# Tags -----------------------------------------------------------------------


def test_a_tag_is_normalised(admin):
    assert actions.create_tag(name="  Priority Customer ", actor=admin).name == "priority-customer"


def test_an_empty_tag_is_refused(admin):
    with pytest.raises(ValidationFailed):
        actions.create_tag(name="   ", actor=admin)


def test_renaming_a_tag_renames_it_on_tickets_with_history(admin):
    tagged = make_ticket(tags=["vip"])
    untouched = make_ticket(tags=["billing"])
    before = tagged.updated_at
    actions.rename_tag(Tag.objects.get(name="vip"), "Key Account", actor=admin, via="api")
    tagged.refresh_from_db()
    assert list(tagged.tags.values_list("name", flat=True)) == ["key-account"]
    events = list(tagged.events.filter(kind__in=[EventKind.TAG_ADDED, EventKind.TAG_REMOVED]).order_by("id").values_list("kind", "old_value", "new_value", "actor_agent", "via"))
    assert events[-2:] == [(EventKind.TAG_REMOVED, "vip", None, admin.pk, "api"), (EventKind.TAG_ADDED, None, "key-account", admin.pk, "api")]
    assert tagged.updated_at > before
    assert not untouched.events.filter(actor_agent=admin).exists()


def test_renaming_onto_an_existing_tag_is_refused(admin):
    actions.create_tag(name="billing", actor=admin)
    vip = actions.create_tag(name="vip", actor=admin)
    with pytest.raises(Conflict):
        actions.rename_tag(vip, "Billing", actor=admin)


def test_deleting_a_tag_removes_it_from_tickets_with_history(admin):
    ticket = make_ticket(tags=["obsolete", "billing"])
    actions.delete_tag(Tag.objects.get(name="obsolete"), actor=admin, via="api")
    assert list(ticket.tags.values_list("name", flat=True)) == ["billing"]
    removed = ticket.events.get(kind=EventKind.TAG_REMOVED)
    assert (removed.old_value, removed.actor_agent, removed.data) == ("obsolete", admin, {"reason": "tag_deleted"})
    assert not Tag.objects.filter(name="obsolete").exists()


def test_only_admins_change_tags():
    tag = Tag.objects.create(name="vip")
    with pytest.raises(PermissionDenied):
        actions.delete_tag(tag, actor=make_agent(Role.AGENT))
    with pytest.raises(PermissionDenied):
        actions.rename_tag(tag, "gold", actor=make_agent(Role.AGENT))


@pytest.mark.parametrize(("role", "expected"), [
    ("owner", 200), ("admin", 200), ("supervisor", 403), ("agent", 403), ("light_agent", 403), ("contact", 403), ("anonymous", 401),
])
def test_renaming_a_tag_over_http(api, role, expected):
    tag = Tag.objects.create(name="vip")
    caller = make_contact() if role == "contact" else None if role == "anonymous" else make_agent(role)
    response = api.patch(f"/tags/{tag.pk}", make_token(caller) if caller else None, json={"name": "Gold"})
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json() == {"id": tag.pk, "name": "gold"}


def test_renaming_onto_an_existing_tag_over_http_is_a_conflict(api, admin):
    Tag.objects.create(name="gold")
    tag = Tag.objects.create(name="vip")
    response = api.patch(f"/tags/{tag.pk}", make_token(admin), json={"name": "gold"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


# Custom field definitions ----------------------------------------------------


def test_a_dropdown_is_created_with_its_choices(admin):
    field = actions.create_custom_field(key="plan", label="Plan", kind="dropdown", choices=["free", "pro", "free"], required_in=["solved"], actor=admin)
    assert (field.choices, field.required_in, field.active) == (["free", "pro"], ["solved"], True)


def test_a_dependent_dropdown_needs_a_parent(admin):
    with pytest.raises(ValidationFailed):
        actions.create_custom_field(key="model", label="Model", kind="dependent_dropdown", choices={"apple": ["iPhone"]}, actor=admin)


def test_a_dependent_dropdown_maps_parent_values_to_choices(admin):
    brand = actions.create_custom_field(key="brand", label="Brand", kind="dropdown", choices=["apple", "google"], actor=admin)
    model = actions.create_custom_field(
        key="model", label="Model", kind="dependent_dropdown", depends_on_id=brand.pk, choices={"apple": ["iPhone"], "google": ["Pixel"]}, actor=admin,
    )
    assert model.depends_on == brand


def test_a_field_customers_edit_must_be_visible_to_them(admin):
    with pytest.raises(ValidationFailed) as caught:
        actions.create_custom_field(key="order", label="Order", kind="text", editable_by_customers=True, actor=admin)
    assert caught.value.fields == {"editable_by_customers": "not_visible"}


def test_choices_keep_the_shape_of_their_kind(admin):
    field = actions.create_custom_field(key="plan", label="Plan", kind="dropdown", choices=["free"], actor=admin)
    with pytest.raises(ValidationFailed):
        actions.update_custom_field(field, {"choices": {"free": ["a"]}}, actor=admin)


def test_the_key_of_a_field_never_changes(admin):
    field = actions.create_custom_field(key="plan", label="Plan", kind="text", actor=admin)
    with pytest.raises(ValidationFailed) as caught:
        actions.update_custom_field(field, {"key": "tier"}, actor=admin)
    assert caught.value.fields == {"key": "unknown"}


def test_a_deactivated_field_keeps_values_on_tickets(admin):
    field = actions.create_custom_field(key="plan", label="Plan", kind="text", actor=admin)
    ticket = make_ticket(custom_fields={"plan": "pro"})
    actions.deactivate_custom_field(field, actor=admin)
    ticket.refresh_from_db()
    assert CustomFieldDefinition.objects.get(pk=field.pk).active is False
    assert ticket.custom_fields == {"plan": "pro"}


def test_only_admins_change_custom_fields():
    with pytest.raises(PermissionDenied):
        actions.create_custom_field(key="plan", label="Plan", kind="text", actor=make_agent(Role.AGENT))


def test_a_field_customers_edit_must_be_visible_over_http(api, admin):
    response = api.post("/custom-fields", make_token(admin), json={"key": "order", "label": "Order", "kind": "text", "editable_by_customers": True})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"editable_by_customers": "not_visible"}
