"""Benchmark suites: each module defines run(ctx) -> list[dict] (contract in bench/README.md)."""
