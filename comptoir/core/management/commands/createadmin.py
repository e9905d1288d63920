"""`comptoir createadmin --email E --password P`: create (or reset) an owner account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core import actions
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ActionError
from comptoir.core.models import Agent, Role

VIA = "command"


class Command(BaseCommand):
    help = "Create an owner account, or reset its password if it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="Administrator")
        parser.add_argument(
            "--keep-existing", action="store_true",
            help="leave an existing account untouched (make run: a password changed since is kept)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        """Through the same core actions as the team pages, acting as the system (the operator at the console)."""
        email = opts["email"].strip().lower()
        agent = Agent.objects.filter(email=email).first()
        if agent is not None and opts["keep_existing"]:
            self.stdout.write(_("Owner %(email)s exists; left unchanged.") % {"email": email})
            return
        try:
            with transaction.atomic():
                if agent is None:
                    agent = actions.create_agent(email=email, name=opts["name"], role=Role.OWNER, actor=SYSTEM, via=VIA)
                    message = _("Created owner %(email)s.")
                else:
                    actions.update_agent(agent, {"role": Role.OWNER, "is_active": True}, actor=SYSTEM, via=VIA)
                    message = _("Updated owner %(email)s.")
                actions.set_agent_password(agent, opts["password"], actor=SYSTEM, via=VIA)
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(message % {"email": email})
