"""Quoted history and signatures are folded away; what the customer wrote stays visible."""

from __future__ import annotations

import time

import pytest

from comptoir.channels.email.quoting import split_reply


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, 2 Mar 2026 at 10:00, Support <support@example.com> wrote:",  # English
        "Le lun. 2 mars 2026 à 10:00, Support <support@example.com> a écrit :",  # French
        "Op ma 2 mrt. 2026 om 10:00 schreef Support <support@example.com>:",  # Dutch
        "Am Mo., 2. März 2026 um 10:00 Uhr schrieb Support <support@example.com>:",  # German
    ],
)
def test_reply_header_and_quote_are_folded_in_four_languages(header):
    text = f"Merci, c'est réglé.\n\n{header}\n> Avez-vous essayé de redémarrer ?\n"
    visible, quoted = split_reply(text)
    assert visible == "Merci, c'est réglé."
    assert quoted.startswith(header)


def test_reply_header_wrapped_over_three_lines_is_recognised():
    text = "Thanks!\n\nOn Dec 16, 2011, at 12:47 PM, Corey Donohoe\n<reply@example.com>\nwrote:\n\n> old text\n"
    assert split_reply(text)[0] == "Thanks!"


@pytest.mark.parametrize(
    "block",
    [
        "From: Support <support@example.com>\nSent: Monday, March 2, 2026 10:00\nTo: Jan\nSubject: RE: ticket",
        "De : Support <support@example.com>\nEnvoyé : lundi 2 mars 2026 10:00\nÀ : Jan\nObjet : RE: ticket",
        "Van: Support <support@example.com>\nVerzonden: maandag 2 maart 2026 10:00\nAan: Jan\nOnderwerp: RE: ticket",
        "Von: Support <support@example.com>\nGesendet: Montag, 2. März 2026 10:00\nAn: Jan\nBetreff: AW: ticket",
    ],
)
def test_outlook_header_blocks_are_folded_in_four_languages(block):
    text = f"It works now.\n\n________________________________\n{block}\n\nOld message text\n"
    visible, quoted = split_reply(text)
    assert visible == "It works now."
    assert "Old message text" in quoted


def test_original_message_separator_is_folded():
    text = "See my answer.\n\n-----Original Message-----\nFrom: x@example.com\nold\n"
    assert split_reply(text)[0] == "See my answer."


def test_signature_after_delimiter_is_folded():
    text = "Please call me back.\n\n-- \nJan Jansen\nACME BV\n"
    visible, quoted = split_reply(text)
    assert visible == "Please call me back."
    assert "ACME BV" in quoted


@pytest.mark.parametrize(
    "line",
    ["Sent from my iPhone", "Envoyé de mon iPhone", "Verzonden vanaf mijn iPhone", "Von meinem iPhone gesendet", "Get Outlook for Android"],
)
def test_mobile_signatures_are_folded(line):
    assert split_reply(f"On my way.\n\n{line}\n")[0] == "On my way."


def test_a_sentence_starting_with_sent_from_my_is_kept():
    text = "Here it is.\n\nSent from my desk, is much easier then my mobile phone.\n"
    assert split_reply(text) == (text, "")


def test_double_dash_inside_a_line_is_not_a_signature():
    text = "And here is a fix -- this is not a signature.\n"
    assert split_reply(text) == (text, "")


def test_inline_answers_between_quotes_stay_visible():
    text = "On Tue, Apr 29, 2014 at 4:22 PM, Dev <dev@example.com> wrote:\n\n> question one?\n\nAnswer one.\n\n> question two?\n\nAnswer two.\n"
    visible, _quoted = split_reply(text)
    assert "Answer one." in visible and "Answer two." in visible


def test_a_mail_that_is_only_a_quote_stays_visible():
    text = "> only quoted text\n> nothing new\n"
    assert split_reply(text) == (text, "")


def test_nothing_is_lost_between_visible_and_quoted():
    text = "Top\n\nOn Mon, 2 Mar 2026, A <a@example.com> wrote:\n> a\n> b\n"
    visible, quoted = split_reply(text)
    assert text.startswith(visible) and text.endswith(quoted)


def test_pathological_input_stays_fast():
    text = ("On " + "a" * 5000 + "\n") * 200 + ("> " + "On x wrote" * 300 + "\n") * 200
    started = time.perf_counter()
    split_reply(text)
    assert time.perf_counter() - started < 0.5
