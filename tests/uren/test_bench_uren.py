"""The hours benchmark's generator (bench/uren.py) works at a tiny scale, and its pages ask the same queries for
a small and a bigger company; the benchmark itself is not part of the suite."""

import io

from bench.uren import generate, measure, same_queries
from uren.models import Urenweek


def test_the_uren_bench_at_a_tiny_scale(db):
    made = generate(companies={"klein": 2, "groot": 5}, weeks=6, out=io.StringIO())
    assert Urenweek.objects.count() == (2 + 5) * 6
    rows = measure(made, runs=1, warmup=1)
    assert same_queries(rows), rows
