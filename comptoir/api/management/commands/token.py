"""`comptoir token create --email E`: print a new API token for an agent or contact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comptoir.api.models import ApiToken
from comptoir.api.tokens import issue_token, revoke_token
from comptoir.contacts.actions import find_contact
from comptoir.core.actors import SystemActor
from comptoir.core.models import Agent


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--email", help="the agent's (or contact's) email")
        parser.add_argument("--name", default="", help="a label for the token")
        parser.add_argument("--prefix", help="with revoke: the token's first characters")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "revoke":
            token = ApiToken.objects.filter(prefix=opts["prefix"] or "", revoked_at__isnull=True).first()
            if token is None:
                raise CommandError("No live token with this prefix.")
            revoke_token(token, actor=SystemActor(), via="command")
            self.stdout.write(f"Revoked {token.prefix}…")
            return
        email = (opts["email"] or "").strip().lower()
        if not email:
            raise CommandError("--email is required.")
        owner: Any = Agent.objects.filter(email=email).first() or find_contact(email=email)
        if owner is None:
            raise CommandError(f"No agent or contact with email {email}.")
        if action == "list":
            for t in ApiToken.objects.filter(agent=owner) if isinstance(owner, Agent) else ApiToken.objects.filter(contact=owner):
                state = "revoked" if t.revoked_at else "live"
                self.stdout.write(f"{t.prefix}…  {t.name or '-'}  {state}  created {t.created_at:%Y-%m-%d}  last used {t.last_used_at or 'never'}")
            return
        _token, raw = issue_token(owner, opts["name"])
        self.stdout.write(raw)
