"""Joining the backends' rows into one table, and saving them to bench/results/latest.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def merge(rows_by_backend: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One entry per (suite, metric), with each backend's value side by side, in first-seen order."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for backend, rows in rows_by_backend.items():
        for r in rows:
            key = (r["suite"], r["metric"])
            entry = merged.setdefault(key, {"suite": r["suite"], "metric": r["metric"], "unit": r.get("unit", ""),
                                            "target": r.get("target", ""), "values": {}})
            entry["values"][backend] = r.get("value")
            if r.get("error"):
                entry.setdefault("errors", {})[backend] = r["error"]
    return list(merged.values())


def _cell(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and value >= 100:
        text = f"{value:,.0f}"
    elif isinstance(value, float):
        text = f"{value:.2f}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def table(entries: list[dict[str, Any]], backends: list[str]) -> str:
    """A plain-text table: suite | metric | sqlite | postgres | target."""
    header = ["suite", "metric", *backends, "target"]
    lines = [[e["suite"], e["metric"], *[_cell(e["values"].get(b), e["unit"]) for b in backends], e["target"]] for e in entries]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), "-+-".join("-" * w for w in widths)]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


def save(entries: list[dict[str, Any]], params: dict[str, Any], path: Path | None = None) -> Path:
    path = path or RESULTS / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"params": params, "results": entries}, indent=2, ensure_ascii=False))
    return path
