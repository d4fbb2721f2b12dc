"""The extract stage: documents in, events, claims and indicators out (see ``coder``)."""

from __future__ import annotations

from harbinger.extract.coder import Coder, load_pipeline

__all__ = ["Coder", "load_pipeline"]
