"""Email intake throughput: a generated mbox of new tickets and replies (10% with attachments)
stored and ingested into a database that already holds `ctx.tickets` tickets.

Rows: store rate (raw bytes kept, the part an MTA waits for), processing rate
(parse + route + ticket actions, one transaction per message) and end to end.
Size: COMPTOIR_BENCH_EMAIL_MESSAGES (default 10,000).
"""

from __future__ import annotations

import mailbox
import os
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from bench.measure import row

SUITE = "email_intake"
TARGET = ">= 900 /s"


def generate_mbox(path: Path, count: int, *, to: str, run: str) -> int:
    """Write `count` messages: two new conversations for each reply, 10% carrying a PDF."""
    box = mailbox.mbox(str(path))
    box.lock()
    try:
        for i in range(count):
            msg = EmailMessage()
            # A reply comes from whoever wrote the mail it answers: strangers no longer join a thread.
            sender = (i - 1 if i % 3 == 2 else i) % max(1, count // 5)
            msg["From"] = f"Customer {sender} <customer{sender}@client{sender % 50}.{run}.test>"
            msg["To"] = to
            msg["Message-ID"] = f"<m{i}.{run}@client.test>"
            if i % 3 == 2:
                msg["Subject"] = f"Re: Question {i - 1}"
                msg["In-Reply-To"] = f"<m{i - 1}.{run}@client.test>"
                msg["References"] = f"<m{i - 1}.{run}@client.test>"
                msg.set_content(f"Thanks, one more detail about {i - 1}.\n\nOn Monday you wrote:\n> Question {i - 1}\n")
            else:
                msg["Subject"] = f"Question {i}"
                msg.set_content(f"Hello,\n\nmy app shows error {i} when I open the settings.\n\nRegards\n")
            if i % 10 == 0:
                msg.add_attachment(b"%PDF-1.4\n" + os.urandom(2048), maintype="application", subtype="pdf", filename=f"report-{i}.pdf")
            box.add(msg)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return count


def run(ctx: Any) -> list[dict[str, Any]]:
    from comptoir.channels.email.inbound import process_stored, store_raw
    from comptoir.channels.email.models import InboundEmail, InboundState
    from comptoir.core.models import Department, SupportAddress

    count = int(os.environ.get("COMPTOIR_BENCH_EMAIL_MESSAGES", "10000"))
    department = ctx.departments[0] if ctx.departments else Department.objects.create(name="Bench email", slug="bench-email")
    address, _ = SupportAddress.objects.get_or_create(email="intake@bench.comptoir.test", defaults={"department": department})
    run_id = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-mbox-") as tmp:
        path = Path(tmp) / "intake.mbox"
        generate_mbox(path, count, to=address.email, run=run_id)
        raws = [m.as_bytes() for m in mailbox.mbox(str(path))]

    start = time.perf_counter()
    ids = [store_raw(raw, source="pipe")[0].pk for raw in raws]
    stored = time.perf_counter()
    # Exactly this run's rows, in the worker's batches (rows an interrupted run left behind are not counted).
    done = process_stored(ids)
    processed = time.perf_counter()

    states = dict.fromkeys(InboundState.values, 0)
    for state in InboundEmail.objects.filter(pk__in=ids).values_list("state", flat=True):
        states[state] += 1
    store_s, process_s, total_s = stored - start, processed - stored, processed - start
    return [
        row(SUITE, "messages in mbox", float(count), "msgs"),
        row(SUITE, "store raw", count / store_s, "/s"),
        row(SUITE, "process (parse+route+actions)", done / process_s if process_s else 0.0, "/s", TARGET),
        row(SUITE, "end to end", count / total_s, "/s", TARGET),
        row(SUITE, "ingested", float(states[InboundState.INGESTED]), "msgs", f"== {count}"),
        row(SUITE, "failed", float(states[InboundState.FAILED]), "msgs", "== 0"),
    ]
