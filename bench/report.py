"""Joining the backends' rows into one table, and publishing a run: its JSON record and the docs' table.

A run is published in two places, both written from the run itself so that no
figure is ever typed by hand: `bench/results/<date>-<commit>.json` (the whole
record, committed) and the table in docs/benchmarks.md between the
`<!-- bench:start -->` and `<!-- bench:end -->` markers (the rest of the page
is left as it is).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def merge(rows_by_backend: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One entry per (suite, metric), with each backend's value side by side, in first-seen order.

    An entry gets a `cold` mapping (backend -> first-call figure) only when a
    backend measured one.
    """
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for backend, rows in rows_by_backend.items():
        for r in rows:
            key = (r["suite"], r["metric"])
            entry = merged.setdefault(key, {"suite": r["suite"], "metric": r["metric"], "unit": r.get("unit", ""),
                                            "target": r.get("target", ""), "values": {}})
            entry["values"][backend] = r.get("value")
            if r.get("cold") is not None:
                entry.setdefault("cold", {})[backend] = r["cold"]
            if r.get("error"):
                entry.setdefault("errors", {})[backend] = r["error"]
    return list(merged.values())


def _cell(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and (value >= 100 or (value.is_integer() and unit != "ms")):
        text = f"{value:,.0f}"
    elif isinstance(value, float):
        text = f"{value:.2f}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def _has_cold(entries: list[dict[str, Any]]) -> bool:
    return any(e.get("cold") for e in entries)


def _columns(entries: list[dict[str, Any]], backends: list[str]) -> tuple[list[str], list[list[str]]]:
    """Header and cells: suite, metric, per backend its warm figure (and cold one when any), target."""
    cold = _has_cold(entries)
    header = ["suite", "metric"]
    for backend in backends:
        header += [backend, f"{backend} cold"] if cold else [backend]
    header.append("target")
    lines = []
    for e in entries:
        cells = [e["suite"], e["metric"]]
        for backend in backends:
            cells.append(_cell(e["values"].get(backend), e["unit"]))
            if cold:
                cells.append(_cell(e.get("cold", {}).get(backend), e["unit"]))
        cells.append(e["target"])
        lines.append(cells)
    return header, lines


def table(entries: list[dict[str, Any]], backends: list[str]) -> str:
    """A plain-text table: suite | metric | sqlite [| sqlite cold] | postgres [| postgres cold] | target."""
    header, lines = _columns(entries, backends)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), "-+-".join("-" * w for w in widths)]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


def markdown_table(entries: list[dict[str, Any]], backends: list[str]) -> str:
    """The same table in Markdown, for docs/benchmarks.md."""
    header, lines = _columns(entries, backends)

    def md(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([md(header), "|" + "---|" * len(header), *(md(line) for line in lines)])


def result_name(run: dict[str, Any]) -> str:
    """`<date>-<commit>.json`; `-modified` marks a run of a working tree that differed from its commit."""
    commit = run["commit"]
    return f"{run['date']}-{commit['short']}{'-modified' if commit.get('modified') else ''}.json"


def save(entries: list[dict[str, Any]], run: dict[str, Any], results_dir: Path | None = None) -> Path:
    """Write the run's whole record (commit, date, machine, parameters, results) as JSON."""
    directory = results_dir or RESULTS
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / result_name(run)
    path.write_text(json.dumps({**run, "results": entries}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _memory(machine: dict[str, Any]) -> str:
    return f"{machine['memory_gib']} GiB memory" if machine.get("memory_gib") else "memory unknown"


def markdown_block(entries: list[dict[str, Any]], run: dict[str, Any], result_file: str) -> str:
    """What goes between the markers: where the figures come from, then the table."""
    commit, machine, params = run["commit"], run["machine"], run["params"]
    backends = params["backends"]
    modified = " (with uncommitted changes to tracked files)" if commit.get("modified") else ""
    databases = ", ".join(run.get("databases", {}).get(b) or f"{b} (version unknown)" for b in backends)
    load = " / ".join(str(x) for x in machine.get("load_average_at_start", [])) or "unknown"
    lines = [
        f"<!-- Written by `make bench` from `{result_file}`; edit nothing by hand between the markers. -->",
        "",
        f"* **Commit** `{commit['hash']}`{modified}, measured {run['at']}.",
        f"* **Machine**: {machine['cpu']}, {machine['cores']} cores, {_memory(machine)}, {machine['os']}, "
        f"Python {machine['python']}; load average when the run started: {load}.",
        f"* **Databases**: {databases}, each filled to {params['tickets']:,} tickets.",
        f"* **Command**: `{params['command']}`" + (f"; suites: {params['only']}" if params.get("only") else "; all suites") + ".",
        f"* **Record**: [`{result_file}`](../{result_file}).",
        "",
        markdown_table(entries, backends),
    ]
    errors = [f"* {e['suite']} on {backend}: {error}" for e in entries for backend, error in e.get("errors", {}).items()]
    if errors:
        lines += ["", "Errors in this run:", "", *errors]
    return "\n".join(lines)


def replace_between_markers(text: str, block: str) -> str:
    """`text` with whatever lies between the bench markers replaced by `block`; the rest untouched."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0 or end < start or text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"expected one {START} followed by one {END}")
    head, tail = text[: start + len(START)], text[end:]
    return f"{head}\n{block}\n{tail}"


def write_docs(entries: list[dict[str, Any]], run: dict[str, Any], result_file: str, docs: Path | None = None) -> Path:
    """Put the run's table into docs/benchmarks.md between the markers."""
    path = docs or DOCS
    text = path.read_text(encoding="utf-8")
    path.write_text(replace_between_markers(text, markdown_block(entries, run, result_file)), encoding="utf-8")
    return path
