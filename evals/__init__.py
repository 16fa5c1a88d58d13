"""Evaluation and benchmarks: how good and how fast Wayfinder is, against baselines."""
