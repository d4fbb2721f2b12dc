"""Opening a store's database: the engine, the schema migration, and the words of a failure.

``_make_engine`` builds the SQLAlchemy engine for a URL (SQLite with foreign keys and WAL, an
in-memory database shared by every checkout; other backends with a pre-ping); ``_upgrade`` brings
the schema to the newest Alembic revision with the scripts shipped in ``harbinger/migrations`` (so
no alembic.ini is needed), under an advisory lock on PostgreSQL; ``_reason`` and ``_open_hint``
give a failure's message the driver's own reason and what to do (the URL masked by
``harbinger.settings.mask_url``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from harbinger.settings import mask_url

__all__ = ["MIGRATIONS_DIR", "mask_url"]

#: The Alembic scripts, shipped as package data beside this package.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

#: Page cache of each SQLite connection, in KiB (negative: SQLite's unit for a size in KiB).
#: The default 2 MB holds a small part of the indexes a page or the map reads with 100,000
#: events; 64 MB holds them, and is only taken as pages are read.
_SQLITE_CACHE_KIB = 65_536
#: Bytes of the database file SQLite reads through a memory map instead of read() calls: the
#: processes of a server share the file's pages in the OS cache instead of copying them.
_SQLITE_MMAP_BYTES = 268_435_456

#: How long a SQLite writer waits for another's lock before it gives up.
_SQLITE_BUSY_SECONDS = 60.0

#: Key of the PostgreSQL advisory lock that serialises schema upgrades of concurrent workers.
_MIGRATION_LOCK_KEY = 0x4841524247  # "HARBG"


def _reason(exc: BaseException) -> str:
    """The driver's own message, without SQLAlchemy's statement dump and background link."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None:
        return str(exc.orig)
    return str(exc)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Constant PRAGMAs on the raw DB-API connection, before SQLAlchemy starts a transaction:
    # SQLite leaves foreign keys off per connection unless asked, and WAL lets readers (the web
    # app) run while the pipeline writes; a larger page cache and a memory map keep the indexes
    # the web reads in memory.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_BYTES}")
    finally:
        cursor.close()


def _make_engine(url: str) -> sa.Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        # An in-memory database lives in one connection: share it, or each checkout is empty.
        engine = sa.create_engine(
            parsed,
            poolclass=sa.pool.StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        # Several processes may write one file (ingest beside import): a writer waits for the
        # lock for up to a minute rather than failing at once.
        engine = sa.create_engine(parsed, connect_args={"timeout": _SQLITE_BUSY_SECONDS})
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def read_only_file(url: str) -> Path | None:
    """The database file of a SQLite URL when it exists on a file system mounted read-only
    (a snapshot, a CD, a read-only share): such a file is opened for reading only."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None  # opening it says what is wrong with the URL
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(str(parsed.database))
    try:
        readonly = bool(
            os.statvfs(path.parent if path.parent.exists() else ".").f_flag & os.ST_RDONLY
        )
    except OSError:
        return None
    return path if readonly and path.is_file() else None


def _make_read_only_engine(path: Path) -> sa.Engine:
    # SQLite in WAL mode needs its -shm file beside the database even to read, which a read-only
    # mount cannot hold; "immutable" tells it the file cannot change (true of such a mount), so
    # it reads without one. No PRAGMA is set: nothing may be written.
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def _upgrade(engine: sa.Engine, url: str) -> None:
    """``alembic upgrade head`` on the store's own connection, configured without an ini file.

    A database already at the newest revision is only read (a store on a read-only mount opens
    for reading). Otherwise one process at a time migrates: PostgreSQL under an advisory lock,
    SQLite inside ``BEGIN IMMEDIATE`` (its write lock, taken before the first statement), so
    that processes opening a new database at once do not race to create the same tables.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates "%": a URL-encoded password must be escaped to survive.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine, config)
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workers opening the store at once would race to create the tables.
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _upgrade_sqlite(engine: sa.Engine, config: Config) -> None:
    # pysqlite opens transactions itself, and not before DDL: the driver is put in autocommit
    # mode for this connection and the transaction is begun by hand (SQLAlchemy's documented
    # recipe for transactional DDL on SQLite), IMMEDIATE so that the lock is taken first.
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        previous = driver.isolation_level  # type: ignore[union-attr]
        driver.isolation_level = None  # type: ignore[union-attr]
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")  # a no-op when another process got there first
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            driver.isolation_level = previous  # type: ignore[union-attr]


def _open_hint(exc: BaseException, url: str) -> str:
    text = str(exc).lower()
    if isinstance(exc, ModuleNotFoundError):
        return (
            f"the database driver {exc.name!r} is not installed; install it "
            "(for PostgreSQL: pip install 'psycopg[binary]' and use postgresql+psycopg://...)"
        )
    if isinstance(exc, CommandError) and "can't locate revision" in text:
        return "the database was migrated by a newer Harbinger; upgrade harbinger to open it"
    if isinstance(exc, ArgumentError) or "no such module" in text or "can't load plugin" in text:
        return "check the URL, e.g. sqlite:///harbinger.db or postgresql+psycopg://user@host/db"
    if url.startswith("sqlite") and "unable to open" in text:
        return "check that the folder of the database file exists and is writable"
    return "check the URL, that the server is running, and that you may connect and create tables"
