"""Forms of the Account and Integrations pages: they parse input; the actions decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from comptoir.core.actions import time_zones
from comptoir.core.models import Agent


class BrandingForm(forms.Form):
    """The helpdesk's identity. Colours are plain text so that a wrong one reaches the action and is refused there."""

    name = forms.CharField(label=_("Helpdesk name"), max_length=200,
                           help_text=_("Shown in the agents' top bar and the help center's header."))
    logo = forms.FileField(label=_("Logo"), required=False,
                           help_text=_("PNG, JPEG, GIF or WebP, at most 512 KB."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    primary_color = forms.CharField(label=_("Main colour"), max_length=20,
                                    help_text=_("The top bar's colour, as #rrggbb."),
                                    widget=forms.TextInput(attrs={"placeholder": "#2f5bea", "spellcheck": "false"}))
    accent_color = forms.CharField(label=_("Accent colour"), max_length=20,
                                   help_text=_("Links and highlights, as #rrggbb."),
                                   widget=forms.TextInput(attrs={"placeholder": "#0f766e", "spellcheck": "false"}))
    default_locale = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES,
                                       help_text=_("For customers and agents who have not chosen one."))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=(),
                                  help_text=_("Dates in reports and business hours are computed in it."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in time_zones()]  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        """What the action receives: every text field, the logo only when one was sent."""
        data = dict(self.cleaned_data)
        if not data.get("logo"):
            data.pop("logo", None)
        if not data.get("remove_logo"):
            data.pop("remove_logo", None)
        return data


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    actor = forms.TypedChoiceField(label=_("Changed by"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, object_types: list[tuple[str, str]], actors: list[Agent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All kinds")), *object_types]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [("", _("Anyone")), *((a.pk, a.name or a.email) for a in actors)]  # type: ignore[attr-defined]
