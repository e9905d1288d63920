"""A bench run publishes itself: the table between the markers of docs/benchmarks.md, the record as JSON.

No figure is typed by hand: these tests give the writer one run's results and
check what lands in the page and in bench/results/.
"""

from __future__ import annotations

import json

import pytest

from bench import report
from bench.measure import latency_rows

PAGE = """# Benchmarks

Text a person wrote before the figures.

<!-- bench:start -->
| old | table |
|---|---|
| typed | by hand |
<!-- bench:end -->

Text a person wrote after the figures.
"""

RUN = {
    "commit": {"hash": "0123456789abcdef0123456789abcdef01234567", "short": "0123456789", "modified": False},
    "date": "2026-12-03",
    "at": "2026-12-03 08:15 UTC",
    "machine": {"cpu": "Example CPU @ 2.0GHz", "cores": 2, "memory_gib": 7.8, "python": "3.11.2",
                "os": "Linux 6.1.0", "load_average_at_start": [0.5, 0.4, 0.3]},
    "databases": {"sqlite": "SQLite 3.40.1", "postgres": "PostgreSQL 15.8"},
    "params": {"tickets": 2000, "backends": ["sqlite", "postgres"], "only": "", "command": "python -m bench --tickets 2000",
               "email_messages": 200},
}


def _entries():
    list_rows = {
        "sqlite": latency_rows("core", "open list", [4.0, 5.0], "<= 20 ms", cold=31.5),
        "postgres": latency_rows("core", "open list", [6.0, 8.0], "<= 20 ms", cold=45.25),
    }
    create = {"suite": "core", "metric": "create_ticket throughput", "value": 377.4, "unit": "/s", "target": ">= 1500 /s"}
    return report.merge({b: [dict(create, value=v), *list_rows[b]] for b, v in [("sqlite", 377.4), ("postgres", 264.0)]})


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_the_table_replaces_what_was_between_the_markers(page):
    report.write_docs(_entries(), RUN, "bench/results/2026-12-03-0123456789.json", docs=page)

    text = page.read_text(encoding="utf-8")
    block = text.split("<!-- bench:start -->\n")[1].split("<!-- bench:end -->")[0]
    assert "typed | by hand" not in text
    assert "| suite | metric | sqlite | sqlite cold | postgres | postgres cold | target |" in block
    assert "| core | create_ticket throughput | 377 /s | - | 264 /s | - | >= 1500 /s |" in block
    assert "| core | open list p95 | 5.00 ms | 31.50 ms | 8.00 ms | 45.25 ms | <= 20 ms |" in block


def test_the_text_around_the_markers_is_left_as_it_was(page):
    report.write_docs(_entries(), RUN, "bench/results/2026-12-03-0123456789.json", docs=page)

    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nText a person wrote before the figures.\n\n<!-- bench:start -->\n")
    assert text.endswith("<!-- bench:end -->\n\nText a person wrote after the figures.\n")


def test_the_block_names_the_commit_the_date_the_machine_and_the_record(page):
    report.write_docs(_entries(), RUN, "bench/results/2026-12-03-0123456789.json", docs=page)

    text = page.read_text(encoding="utf-8")
    assert "`0123456789abcdef0123456789abcdef01234567`, measured 2026-12-03 08:15 UTC" in text
    assert "Example CPU @ 2.0GHz, 2 cores, 7.8 GiB memory, Linux 6.1.0, Python 3.11.2" in text
    assert "SQLite 3.40.1, PostgreSQL 15.8, each filled to 2,000 tickets" in text
    assert "(../bench/results/2026-12-03-0123456789.json)" in text


def test_a_second_run_replaces_the_first_runs_table(page):
    report.write_docs(_entries(), RUN, "bench/results/2026-12-03-0123456789.json", docs=page)
    later = {**RUN, "at": "2026-12-04 09:00 UTC", "date": "2026-12-04"}

    report.write_docs(_entries(), later, "bench/results/2026-12-04-0123456789.json", docs=page)

    text = page.read_text(encoding="utf-8")
    assert text.count("| suite | metric |") == 1
    assert "2026-12-03 08:15 UTC" not in text and "2026-12-04 09:00 UTC" in text


def test_a_page_without_markers_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nNo markers here.\n", encoding="utf-8")

    with pytest.raises(ValueError, match="bench:start"):
        report.write_docs(_entries(), RUN, "bench/results/x.json", docs=path)
    assert path.read_text(encoding="utf-8") == "# Benchmarks\n\nNo markers here.\n"


def test_the_record_is_named_by_date_and_commit_and_holds_the_whole_run(tmp_path):
    entries = _entries()

    path = report.save(entries, RUN, results_dir=tmp_path)

    assert path.name == "2026-12-03-0123456789.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["commit"]["hash"] == "0123456789abcdef0123456789abcdef01234567"
    assert record["machine"]["cores"] == 2 and record["databases"]["postgres"] == "PostgreSQL 15.8"
    p95 = next(e for e in record["results"] if e["metric"] == "open list p95")
    assert p95["values"] == {"sqlite": 5.0, "postgres": 8.0} and p95["cold"] == {"sqlite": 31.5, "postgres": 45.25}


def test_a_run_of_a_modified_working_tree_says_so_in_its_name(tmp_path):
    run = {**RUN, "commit": {**RUN["commit"], "modified": True}}

    assert report.save(_entries(), run, results_dir=tmp_path).name == "2026-12-03-0123456789-modified.json"


def test_the_projects_page_has_exactly_one_pair_of_markers():
    text = report.DOCS.read_text(encoding="utf-8")

    assert text.count(report.START) == 1 and text.count(report.END) == 1
    assert text.index(report.START) < text.index(report.END)


@pytest.mark.django_db
def test_the_cold_call_is_timed_apart_and_never_mixed_into_the_warm_samples():
    from bench.measure import time_calls

    # Clock readings: cold call 0 -> 50 ms, then two timed warm calls of 2 and 3 ms.
    readings = iter([0.0, 0.050, 1.0, 1.002, 2.0, 2.003])
    calls = []

    samples = time_calls(lambda: calls.append(1), repeat=2, warmup=2, clock=lambda: next(readings))

    assert samples.cold == pytest.approx(50.0)
    assert samples == [pytest.approx(2.0), pytest.approx(3.0)]
    assert len(calls) == 4  # the cold call stands for the first of the two warm-up calls
    assert [r["cold"] for r in latency_rows("core", "list", samples)] == [pytest.approx(50.0)] * 2
