"""Property-based intake: whatever arrives, nothing raises and every input is accounted for."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.channels.email.inbound import ingest_raw
from comptoir.channels.email.models import InboundEmail, InboundState
from tests.channels.email.conftest import build_mail

pytestmark = pytest.mark.django_db

FINAL_STATES = set(InboundState.values) - {InboundState.RECEIVED}

SEEDS = [
    build_mail(),
    build_mail(subject="Re: [#1001] crash", in_reply_to="<first@client.test>", cc="boss@client.test"),
    build_mail(html="<p>Hello <img src='cid:x@y'></p>", attachments=[("a.pdf", b"%PDF-1.4", "application/pdf")]),
    build_mail(headers={"Auto-Submitted": "auto-replied"}),
]


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, length, replacement in edits:
        if not out:
            out.extend(replacement)
            continue
        i = position % len(out)
        out[i:i + length] = replacement
    return bytes(out)


mutated = st.builds(
    _mutate,
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=40)), max_size=6),
)
header_soup = st.lists(
    st.tuples(st.sampled_from(["From", "To", "Cc", "Subject", "Message-ID", "In-Reply-To", "References", "Content-Type",
                               "Content-Transfer-Encoding", "Auto-Submitted", "Date"]),
              st.text(max_size=60)),
    max_size=8,
).map(lambda hs: ("\r\n".join(f"{k}: {v}" for k, v in hs) + "\r\n\r\nbody\r\n").encode("utf-8", "surrogatepass"))
inputs = st.one_of(mutated, st.binary(max_size=300), header_soup)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(inputs, min_size=1, max_size=5))
def test_every_input_is_ingested_or_recorded_and_nothing_raises(department, batch):
    before = InboundEmail.objects.count()
    digests = {hashlib.sha256(raw).hexdigest() for raw in batch}
    known = set(InboundEmail.objects.filter(sha256__in=digests).values_list("sha256", flat=True))

    for raw in batch:
        ingest_raw(raw, source="pipe")

    assert InboundEmail.objects.count() == before + len(digests - known)
    states = set(InboundEmail.objects.filter(sha256__in=digests).values_list("state", flat=True))
    assert states <= FINAL_STATES
