"""Run every benchmark and print each table: ``python -m benchmarks [--runs N]``.

Without ``--runs`` each benchmark uses its own default (7 for analytics, 5 for start-up and for
the pty benchmark's first frames, 3 rounds of in-process ticks).
"""

from __future__ import annotations

import argparse
import sys

from benchmarks import bench_analytics, bench_desk, bench_pty, bench_startup, bench_tick_cpu

BENCHMARKS = (bench_analytics, bench_startup, bench_desk, bench_tick_cpu, bench_pty)


def main(argv: list[str] | None = None) -> int:
    """Run the analytics/cache, start-up/memory, desk, tick CPU and pty benchmarks; non-zero if
    any failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="Run every neodymium benchmark.")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per row, passed to every benchmark (default: each its own)")
    args = parser.parse_args(argv)
    passed = [] if args.runs is None else ["--runs", str(args.runs)]
    failed = 0
    for number, benchmark in enumerate(BENCHMARKS):
        if number:
            print()
        failed += benchmark.main(passed) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
