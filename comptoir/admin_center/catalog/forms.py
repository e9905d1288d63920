"""Forms of the catalog section (statuses, categories, products, tags): they only parse input.

The tickets and contacts actions decide (duplicates, a deleted or too deep
parent, the last active status of a category) and their refusals are put
next to the field they name, with the messages the REST API gives.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import Department
from comptoir.core.name_translations import language_codes
from comptoir.tickets.models import Category, Status, StatusCategory


def translated_languages() -> list[tuple[str, Any]]:
    """The helpdesk's languages other than the default one, which the plain name is written in."""
    default = settings.LANGUAGE_CODE.split("-")[0]
    names = {code.split("-")[0]: name for code, name in settings.LANGUAGES}
    return [(code, names[code]) for code in language_codes() if code != default]


class TranslatedNameForm(forms.Form):
    """A name plus one optional field per other language (`name_fr`, `name_nl`), gathered by `translations()`."""

    name_max_length = 120

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.CharField(label=_("Name"), max_length=self.name_max_length)
        self.order_fields(["name"])
        for code, language in translated_languages():
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": language}, required=False, max_length=self.name_max_length,
            )

    def translations(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code, _language in translated_languages()}

    @staticmethod
    def initial_for(obj: Any) -> dict[str, Any]:
        initial = {"name": obj.name}
        for code, _language in translated_languages():
            initial[f"name_{code}"] = (obj.name_translations or {}).get(code, "")
        return initial


class StatusForm(TranslatedNameForm):
    name_max_length = 80

    category = forms.ChoiceField(label=_("Category"), choices=StatusCategory.choices,
                                 help_text=_("What the status means for reports, SLAs and automations. It never changes."))
    is_default = forms.BooleanField(label=_("Default status of its category"), required=False,
                                    help_text=_("Tickets moving to the category without a named status get this one."))


class StatusEditForm(TranslatedNameForm):
    name_max_length = 80

    is_default = forms.BooleanField(label=_("Default status of its category"), required=False)
    active = forms.BooleanField(label=_("Offered to agents"), required=False)


class ReplaceStatusForm(forms.Form):
    replacement = forms.ModelChoiceField(label=_("Move its tickets to"), queryset=Status.objects.none())
    delete = forms.BooleanField(label=_("Delete the status afterwards (otherwise it is deactivated)"), required=False)

    def __init__(self, status: Status, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["replacement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Status.objects.filter(category=status.category, active=True).exclude(pk=status.pk)


class CategoryForm(TranslatedNameForm):
    # Named as the action names them, so its refusals land next to these fields.
    parent_id = forms.ModelChoiceField(label=_("Parent category"), required=False, queryset=Category.objects.none(),
                                    empty_label=_("None (a top-level category)"),
                                    help_text=_("Pick one to make this a subcategory. Subcategories have no subcategories."))
    department_id = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.order_by("name"),
                                        empty_label=_("All departments"))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0,
                                  help_text=_("Lower numbers come first."))

    def __init__(self, *args: Any, category: Category | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every other category is offered, subcategories too: the action refuses those with a message that says why.
        parents = Category.objects.select_related("parent").order_by("parent__name", "name")
        field = self.fields["parent_id"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents.exclude(pk=category.pk) if category is not None else parents
        self.order_fields(["name", "parent_id", "department_id", "position"])


class ProductForm(TranslatedNameForm):
    name_max_length = 200


class TagRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=80)


class TagMergeForm(forms.Form):
    target = forms.CharField(label=_("Merge into the tag"), max_length=80,
                             help_text=_("Its tickets get this tag instead, and the tag you merge goes away."))
