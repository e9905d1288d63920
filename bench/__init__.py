"""Benchmarks and data generators for Comptoir (`make bench`, see bench/README.md)."""
