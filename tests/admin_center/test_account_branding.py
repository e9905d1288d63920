"""Account > Helpdesk: name, logo, colours, default language and time zone, shown in the top bar and the help center."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptoir.core.models import AuditEntry, HelpdeskSettings, Role
from comptoir.core.queries import helpdesk_settings
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


FORM = {"name": "Support Dupont", "primary_color": "#123456", "accent_color": "#ABCDEF",
        "default_locale": "fr", "time_zone": "Europe/Paris"}


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN, name="Sophie Martin")
    client.force_login(agent)
    return agent


def test_an_admin_names_the_helpdesk_and_picks_its_colours(client, admin):
    response = client.post(reverse("admin_center:branding"), FORM)
    assert response.status_code == 302
    row = HelpdeskSettings.objects.get(pk=1)
    assert (row.name, row.primary_color, row.accent_color, row.default_locale, row.time_zone) == (
        "Support Dupont", "#123456", "#abcdef", "fr", "Europe/Paris")


def test_the_change_is_in_the_audit_log(client, admin):
    client.post(reverse("admin_center:branding"), FORM)
    entry = AuditEntry.objects.get(kind="helpdesk_settings.updated")
    assert entry.actor_agent == admin and entry.via == "admin"
    assert entry.changes["name"] == ["Comptoir", "Support Dupont"]
    assert entry.changes["primary_color"] == ["#2f5bea", "#123456"]


def test_an_invalid_colour_is_refused_next_to_the_field(client, admin):
    response = client.post(reverse("admin_center:branding"), {**FORM, "primary_color": "blue"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert response.context["form"].errors["primary_color"] == [
        "A colour is written as # followed by six hexadecimal digits, such as #2f5bea."]
    assert not HelpdeskSettings.objects.exists()


def test_an_unknown_time_zone_is_refused(client, admin):
    response = client.post(reverse("admin_center:branding"), {**FORM, "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "time_zone" in response.context["form"].errors
    assert not HelpdeskSettings.objects.exists()


def test_a_png_logo_is_stored_and_served(client, admin):
    logo = SimpleUploadedFile("dupont.png", png_bytes(), content_type="image/png")
    assert client.post(reverse("admin_center:branding"), {**FORM, "logo": logo}).status_code == 302
    row = HelpdeskSettings.objects.get(pk=1)
    assert row.logo.name.startswith("branding/logo") and row.logo.name.endswith(".png")
    client.logout()  # the help center shows it to customers too
    served = client.get(reverse("admin_center:branding-logo"))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, admin):
    fake = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(reverse("admin_center:branding"), {**FORM, "logo": fake})
    assert response.status_code == 422
    assert response.context["form"].errors["logo"] == ["The logo must be a PNG, JPEG, GIF or WebP image."]
    assert not HelpdeskSettings.objects.exists()


def test_a_logo_over_512_kb_is_refused(client, admin):
    big = SimpleUploadedFile("big.png", png_bytes() + b"\x00" * (512 * 1024), content_type="image/png")
    response = client.post(reverse("admin_center:branding"), {**FORM, "logo": big})
    assert response.status_code == 422
    assert response.context["form"].errors["logo"] == ["The logo is too large: at most 512 KB."]


def test_without_a_logo_the_logo_address_is_not_found(client):
    assert client.get(reverse("admin_center:branding-logo")).status_code == 404


def test_the_agents_top_bar_shows_the_new_name_and_colour_at_once(client, admin):
    assert helpdesk_settings().name == "Comptoir"  # read (and cached) before the change
    client.post(reverse("admin_center:branding"), FORM)
    page = client.get(reverse("agent:home"), follow=True).content.decode()
    assert "Support Dupont</a>" in page
    assert "background: #123456" in page


def test_the_help_center_header_shows_the_name(client, admin):
    client.post(reverse("admin_center:branding"), FORM)
    client.logout()
    page = client.get(reverse("portal:sign-in")).content.decode()
    assert "<strong>Support Dupont</strong>" in page


def test_the_page_shows_the_current_settings(client, admin):
    page = client.get(reverse("admin_center:branding")).content.decode()
    assert 'value="Comptoir"' in page
    assert "#2f5bea" in page
