"""The admin center's own pages: its home (the getting-started checklist) and the settings search."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from comptoir.admin_center.access import admin_center_required
from comptoir.admin_center.account import checklist
from comptoir.admin_center.account.checklist import ChecklistItem
from comptoir.admin_center.navigation import search_pages
from comptoir.core.access import AgentRequest


@admin_center_required
def home(request: AgentRequest) -> HttpResponse:
    return render(request, "admin_center/home.html", {"checklist": getting_started(request)})


@admin_center_required
def search(request: AgentRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = search_pages(request.user, query)
    template = "admin_center/search_results.html" if request.headers.get("HX-Request") else "admin_center/search.html"
    return render(request, template, {"query": query, "results": results})


def getting_started(request: AgentRequest) -> list[ChecklistItem]:
    """The first steps of a new helpdesk, each ticked only when really done (see account/checklist.py)."""
    return checklist.getting_started()
