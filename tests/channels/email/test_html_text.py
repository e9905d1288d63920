"""html_to_text (the plain-text rendering of customer HTML) stays linear on hostile mail.

It lives in comptoir.tickets.html; the email channel is where hostile HTML comes from.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comptoir.tickets.html import html_to_text

# The regexes html_to_text used before it became linear: the reference for its results.
_OLD_INVISIBLE = re.compile(r"(?is)<(script|style|head)[^>]*>.*?</\1>")
_OLD_TAG = re.compile(r"<[^>]+>")


def _reference(value: str) -> str:
    import html

    text = _OLD_INVISIBLE.sub("", value)
    text = re.sub(r"(?i)</(p|div|li|tr|h[1-6]|blockquote|pre)>|<br\s*/?>", "\n", text)
    text = html.unescape(_OLD_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip()


# 200 KB and more: quadratic work on these takes minutes, linear work milliseconds.
@pytest.mark.timeout(60)
@pytest.mark.parametrize(("hostile", "expected"), [
    ("<style" * 40_000, "<style" * 40_000),  # never a complete tag: kept as text
    ("<style>" * 40_000, ""),  # opened 40,000 times, never closed: the tags go, nothing else is there
    ("<script x=1>" * 20_000 + "visible", "visible"),
    ("<" * 250_000, "<" * 250_000),
    ("<HEAD" + " a" * 100_000 + ">text", "text"),  # a 200 KB opening tag, never closed
])
def test_hostile_unclosed_tags_are_handled_in_linear_time(hostile, expected):
    assert html_to_text(hostile) == expected


def test_style_script_and_head_blocks_are_dropped_and_the_rest_kept():
    html = (
        "<html><HEAD><title>x</title></head><body><Style type='text/css'>p {color: red}</STYLE>"
        "<p>Hello&nbsp;there</p><script>alert(1)</script><div>Second line</div><br>end</body></html>"
    )

    assert html_to_text(html) == "Hello\xa0there\nSecond line\n\nend"


def test_a_block_closed_only_after_another_kind_of_block_is_removed_whole():
    assert html_to_text("a<style>x<script>y</script>z</style>b") == "ab"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("<>/ scriptyleadSTYLEHx\n"), max_size=60))
def test_the_result_is_the_same_as_the_former_regexes(value):
    assert html_to_text(value) == _reference(value)
