"""Inviting a colleague: the agent is created without a password and mailed a one-time link.

The link is Django's password-reset token (uid + token) with its own salt, so a
password-reset link is never an invitation and the other way round. It expires
after settings.PASSWORD_RESET_TIMEOUT (the same delay as a reset link) and dies
once used, because the token hashes the password and the last sign-in: setting
the password through `accept_invitation` spends it. An admin may resend a new link
while the agent has not chosen a password yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from comptoir.core import actions as team
from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change
from comptoir.core.models import Agent, Role, TicketScope
from comptoir.core.permissions import require


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens under another salt: an invitation link is not a reset link."""

    key_salt = "comptoir.core.actions.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def is_pending(agent: Agent) -> bool:
    """Invited, and not yet signed in with a password of their own."""
    return not agent.has_usable_password() and agent.last_login is None


def invitation_path(agent: Agent) -> str:
    """The path of a fresh invitation link for `agent` (uid + token)."""
    uid = urlsafe_base64_encode(force_bytes(agent.pk))
    return reverse("admin_center:invitation-accept", args=[uid, invitation_tokens.make_token(agent)])


def agent_for_invitation(uid: str, token: str) -> Agent | None:
    """The agent an invitation link was made for, when it is still valid (not expired, not used, active)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        return None
    agent = Agent.objects.filter(pk=pk, is_active=True).first()
    if agent is None or not invitation_tokens.check_token(agent, token):
        return None
    return agent


def agent_for_uid(uid: str) -> Agent | None:
    """The agent named by a link's uid, valid or not: the expired-link page offers to resend it."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        return None
    return Agent.objects.filter(pk=pk).first()


def _send_invitation(agent: Agent, inviter: Any) -> None:
    """Mail the link, in the invited agent's language, after the transaction commits."""
    link = settings.BASE_URL + invitation_path(agent)
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    with translation.override(agent.locale):
        subject = _("You are invited to the helpdesk")
        body = _(
            "Hello %(name)s,\n\n%(inviter)s invited you to work in the helpdesk.\n"
            "Choose your password here to sign in:\n\n%(link)s\n\n"
            "The link works once and for %(days)d days."
        ) % {"name": agent.name, "inviter": str(inviter), "link": link, "days": days}
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [agent.email]))


@transaction.atomic
def invite_agent(
    *,
    email: str,
    name: str,
    role: str = Role.AGENT,
    ticket_scope: str = TicketScope.ALL,
    locale: str = "en",
    group_ids: Iterable[int] = (),
    department_ids: Iterable[int] = (),
    actor: Any,
    via: str = "",
) -> Agent:
    """Create the agent (core.actions.create_agent: same rules, same audit entry) and mail the link."""
    agent = team.create_agent(email=email, name=name, role=role, ticket_scope=ticket_scope, locale=locale,
                              group_ids=group_ids, department_ids=department_ids, actor=actor, via=via)
    _send_invitation(agent, actor)
    record_change("agent.invited", agent, actor=actor, via=via, after={"email": agent.email})
    return agent


@transaction.atomic
def resend_invitation(agent: Agent, *, actor: Any, via: str = "") -> Agent:
    """Mail a new link to an invited agent who has not chosen a password yet (the old one may have expired)."""
    require(actor, "admin.agents", agent)
    if not agent.is_active:
        raise ValidationFailed(_("This agent is deactivated; reactivate them first."), {"agent": "inactive"})
    if not is_pending(agent):
        raise ValidationFailed(_("This agent has already accepted their invitation."), {"agent": "accepted"})
    _send_invitation(agent, actor)
    record_change("agent.invited", agent, actor=actor, via=via, after={"email": agent.email})
    return agent


@transaction.atomic
def accept_invitation(uid: str, token: str, password: str, *, via: str = "") -> Agent:
    """Set the invited agent's password from a valid link; the agent acts for themselves.

    Raises ValidationFailed({"token": "invalid"}) for an expired or used link,
    and set_agent_password's message for a too-short password.
    """
    agent = agent_for_invitation(uid, token)
    if agent is None:
        raise ValidationFailed(_("This invitation link has expired or was already used."), {"token": "invalid"})
    return team.set_agent_password(agent, password, actor=agent, via=via)
