"""Benchmarks for `nox -s bench`: build times, form rendering, memory, sizes → bench/results.md."""
