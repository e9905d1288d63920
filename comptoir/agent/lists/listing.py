"""Which views an agent has, and the tickets a view lists — always inside visible_tickets()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from comptoir.agent.actions import may_edit_view
from comptoir.agent.lists.builtin import BUILTIN_BY_KEY, BUILTIN_VIEWS, BuiltinView
from comptoir.agent.lists.columns import COLUMNS, GROUPINGS, clean_sort, order_by
from comptoir.agent.models import SavedView
from comptoir.core.models import Agent
from comptoir.tickets import conditions, queries
from comptoir.tickets.models import Ticket


@dataclass(frozen=True)
class ViewSpec:
    """A view as a list page needs it, whether built in or saved."""

    key: str
    name: Any
    conditions: dict[str, Any]
    columns: list[str]
    sort: str
    group_by: str
    saved: SavedView | None = None

    @property
    def is_builtin(self) -> bool:
        return self.saved is None


def narrowed(spec: ViewSpec, text: str) -> ViewSpec:
    """The same view restricted to tickets whose subject contains `text` (or numbered `text`)."""
    number = text.lstrip("#")
    alternatives: list[dict[str, Any]] = [{"field": "subject", "operator": "contains", "value": text}]
    if number.isdigit():
        alternatives.append({"field": "number", "operator": "is", "value": int(number)})
    return replace(spec, conditions={"all": [spec.conditions, {"any": alternatives}]})


def _from_builtin(view: BuiltinView) -> ViewSpec:
    return ViewSpec(view.key, view.name, view.conditions, view.columns, view.sort, view.group_by)


def _from_saved(view: SavedView) -> ViewSpec:
    columns = [c for c in (view.columns or []) if c in COLUMNS] or ["number", "subject", "status", "updated_at"]
    return ViewSpec(str(view.pk), view.name, view.conditions, columns, clean_sort(view.sort),
                    view.group_by if view.group_by in GROUPINGS else "", view)


def saved_views_for(agent: Agent) -> QuerySet[SavedView]:
    """The agent's own views and the shared ones, in sidebar order."""
    return SavedView.objects.filter(Q(owner=agent) | Q(owner__isnull=True)).order_by("owner_id", "position", "name", "id")


def views_for(agent: Agent) -> list[ViewSpec]:
    return [_from_builtin(v) for v in BUILTIN_VIEWS] + [_from_saved(v) for v in saved_views_for(agent)]


def get_view(agent: Agent, key: str) -> ViewSpec:
    """A built-in view by key or a saved view by id; another agent's personal view is a 404."""
    if key in BUILTIN_BY_KEY:
        return _from_builtin(BUILTIN_BY_KEY[key])
    if not key.isdigit():
        raise Http404
    saved = SavedView.objects.filter(pk=int(key)).first()
    if saved is None or not may_see(agent, saved):
        raise Http404
    return _from_saved(saved)


def may_see(agent: Agent, view: SavedView) -> bool:
    return view.owner_id is None or view.owner_id == agent.pk


def may_edit(agent: Agent, view: SavedView) -> bool:
    """Owners edit their personal views; shared views need the view.shared capability (the action's rule)."""
    return may_edit_view(agent, view)


def view_tickets(agent: Agent, spec: ViewSpec, *, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """The view's tickets among those `agent` may see, unordered and not yet loaded."""
    return queries.visible_tickets(agent).filter(conditions.to_q(spec.conditions, user=agent, now=now))


def _page_ids(agent: Agent, spec: ViewSpec, ordering: list[str], start: int, stop: int,
              now: dt.datetime | None) -> list[int]:
    """Ids of rows start..stop of the view in `ordering`.

    When the agent sees tickets through several branches (their groups, or
    assigned to them), an OR of the two cannot be read in index order: on a
    million tickets SQLite gathered and sorted every open ticket of the group
    (40-60 ms). Each branch's first `stop` ids are read through its own index
    instead, and the page is cut from those few candidates.
    """
    branches = queries.visible_ticket_branches(agent)
    if branches is None or len(branches) < 2:
        return list(view_tickets(agent, spec, now=now).order_by(*ordering).values_list("pk", flat=True)[start:stop])
    condition = conditions.to_q(spec.conditions, user=agent, now=now)
    candidates: set[int] = set()
    for branch in branches:
        candidates.update(branch.filter(condition).order_by(*ordering).values_list("pk", flat=True)[:stop])
    if not candidates:
        return []
    return list(Ticket.objects.filter(pk__in=candidates).order_by(*ordering).values_list("pk", flat=True)[start:stop])


def list_page(agent: Agent, spec: ViewSpec, *, sort: str, page: int, per_page: int,
              now: dt.datetime | None = None) -> tuple[list[Ticket], bool]:
    """One page of rows with what they show, in a constant number of queries.

    Reads per_page + 1 rows to know whether a next page exists, instead of
    counting the whole view (a full count on a million tickets is the slow part).
    The page's ids are chosen on the ticket table alone, then their rows are
    loaded with what they show: a sort that cannot use an index then sorts
    bare rows instead of joined ones.
    """
    ordering = order_by(sort, spec.group_by)
    start = (page - 1) * per_page
    ids = _page_ids(agent, spec, ordering, start, start + per_page + 1, now)
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    by_id = {t.pk: t for t in queries.ticket_list(agent).filter(pk__in=ids)} if ids else {}
    return [by_id[pk] for pk in ids if pk in by_id], has_next
