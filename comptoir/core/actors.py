"""Who performed a change: an agent, a contact, an automation rule or the system.

Every action takes `actor=`; history records its kind so the automation engine
can recognise its own changes and stop loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    AGENT = "agent", _("Agent")
    CONTACT = "contact", _("Contact")
    RULE = "rule", _("Automation")
    SYSTEM = "system", _("System")


@dataclass(frozen=True)
class SystemActor:
    """The helpdesk itself (periodic jobs, channel plumbing)."""

    label: str = "system"
    kind: str = ActorKind.SYSTEM


@dataclass(frozen=True)
class RuleActor:
    """An automation rule (trigger, automation, SLA policy) acting on a ticket."""

    rule_id: int
    label: str
    kind: str = ActorKind.RULE


SYSTEM = SystemActor()


def actor_kind(actor: Any) -> str:
    """Classify an actor without importing the contacts app (core sits below it)."""
    from comptoir.core.models import Agent

    if isinstance(actor, Agent):
        return ActorKind.AGENT
    if isinstance(actor, (SystemActor, RuleActor)):
        return actor.kind
    if getattr(actor, "_meta", None) is not None and actor._meta.label == "contacts.Contact":
        return ActorKind.CONTACT
    raise TypeError(f"Unknown actor: {actor!r}")


def actor_label(actor: Any) -> str:
    if isinstance(actor, (SystemActor, RuleActor)):
        return actor.label
    return str(actor)
