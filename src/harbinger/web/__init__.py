"""The web stage: the analyst dashboard, document pages and REST API (``harbinger serve``).

``create_app`` builds the FastAPI application over a store; ``harbinger.cli.serve`` holds the
CLI command that runs it under uvicorn.
"""

from __future__ import annotations

from harbinger.web.app import create_app, error_body

__all__ = ["create_app", "error_body"]
