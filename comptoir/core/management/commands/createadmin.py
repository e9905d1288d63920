"""`comptoir createadmin --email E --password P`: create (or reset) an owner account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comptoir.core.models import Agent, Role


class Command(BaseCommand):
    help = "Create an owner account, or reset its password if it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="Administrator")

    def handle(self, *args: Any, **opts: Any) -> None:
        email = opts["email"].strip().lower()
        if "@" not in email:
            raise CommandError("Give a valid email address.")
        if len(opts["password"]) < 8:
            raise CommandError("The password needs at least 8 characters.")
        agent = Agent.objects.filter(email=email).first()
        if agent is None:
            Agent.objects.create_superuser(email, opts["password"], name=opts["name"])
            self.stdout.write(f"Created owner {email}.")
        else:
            agent.set_password(opts["password"])
            agent.role = Role.OWNER
            agent.is_active = True
            agent.save()
            self.stdout.write(f"Updated owner {email}.")
