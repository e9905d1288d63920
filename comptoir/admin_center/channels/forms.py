"""Forms of the Channels section: they parse input only; the email channel's actions decide and write.

Field labels, choices and lengths come from the models (`fields_for_model`), but
these are plain forms: nothing here saves a row, and an edit form never touches
the row before the action takes its "before" snapshot for the audit log.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from comptoir.channels.email.models import HeaderRule, Mailbox
from comptoir.core.models import Department
from comptoir.tickets.models import Channel

HEADER_RULE_FIELDS = ["name", "header", "pattern", "action", "active", "position"]
MAILBOX_FIELDS = ["name", "department", "host", "port", "security", "username", "password_env",
                  "folder", "after_processing", "move_to_folder", "active"]


class HeaderRuleForm(forms.Form):
    pass


HeaderRuleForm.base_fields = fields_for_model(HeaderRule, fields=HEADER_RULE_FIELDS)
HeaderRuleForm.base_fields["position"].label = _("position")
HeaderRuleForm.base_fields["pattern"].help_text = _("A regular expression; leave empty to match any mail carrying the header.")


class MailboxForm(forms.Form):
    pass


_mailbox_fields = fields_for_model(Mailbox, fields=MAILBOX_FIELDS)
_mailbox_fields["department"].queryset = Department.objects.order_by("name")
MailboxForm.base_fields = {
    **{name: field for name, field in _mailbox_fields.items() if name not in ("password_env", "folder", "after_processing",
                                                                              "move_to_folder", "active")},
    "password": forms.CharField(label=_("password"), required=False, widget=forms.PasswordInput(render_value=False),
                                help_text=_("Stored encrypted. Leave empty to keep the current one.")),
    **{name: _mailbox_fields[name] for name in ("password_env", "folder", "after_processing", "move_to_folder", "active")},
}


class NotificationTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body_text = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}))
    active = forms.BooleanField(label=_("Use this wording"), required=False, initial=True,
                                help_text=_("When off, customers get the built-in wording."))


class PreviewForm(forms.Form):
    """What the live preview reads: the same two fields, nothing saved."""

    subject = forms.CharField(required=False)
    body_text = forms.CharField(required=False)


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class ConfirmationChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(label=_("Send a confirmation for tickets from"), choices=Channel.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)
