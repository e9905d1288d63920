"""`comptoir createadmin --email E --password P`: create (or reset) an owner account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from comptoir.core.models import Agent, Role


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
        email = opts["email"].strip().lower()
        if "@" not in email:
            raise CommandError(_("Give a valid email address."))
        if len(opts["password"]) < 8:
            raise CommandError(_("The password needs at least 8 characters."))
        agent = Agent.objects.filter(email=email).first()
        if agent is None:
            Agent.objects.create_superuser(email, opts["password"], name=opts["name"])
            self.stdout.write(_("Created owner %(email)s.") % {"email": email})
        elif opts["keep_existing"]:
            self.stdout.write(_("Owner %(email)s exists; left unchanged.") % {"email": email})
        else:
            agent.set_password(opts["password"])
            agent.role = Role.OWNER
            agent.is_active = True
            agent.save()
            self.stdout.write(_("Updated owner %(email)s.") % {"email": email})
