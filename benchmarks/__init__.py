"""Benchmarks, each runnable from the repo root as ``python -m benchmarks.<name>``."""
