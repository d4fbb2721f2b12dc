"""Scoring Harbinger's coder against human-coded data (CASE 2021, ACLED/GTD, UCDP GED).

``datasets`` reads the reference files, ``scoring`` holds the pure arithmetic and name matching,
``runner`` codes a dataset and returns an ``EvalResult`` (``harbinger eval`` is ``harbinger.cli.eval``).
"""

from __future__ import annotations

from harbinger.evaluate.runner import DATASETS, EvalResult, Metric, evaluate

__all__ = ["DATASETS", "EvalResult", "Metric", "evaluate"]
