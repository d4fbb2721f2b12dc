"""Run a command with a throwaway PostgreSQL cluster: ``python scripts/with_postgres.py -- CMD...``.

Used by ``make test`` so that the store and API tests run on PostgreSQL as well as SQLite. It
installs Debian's ``postgresql`` when no server is installed (as root, the way CI runs), creates a
cluster with ``initdb`` in a new temporary folder owned by the ``postgres`` user, starts it with
``pg_ctl`` on 127.0.0.1 and a free port (its socket in that folder), creates the database
``harbinger_test``, runs the command with ``HARBINGER_TEST_PG_URL`` set, and stops and removes the
cluster afterwards, whatever the command's outcome. The command's exit code is returned.

When PostgreSQL cannot be had (not root and not installed), the command still runs, without the
variable, after a clear message: the PostgreSQL variants of the tests are then not collected.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def _say(message: str) -> None:
    print(f"[with_postgres] {message}", file=sys.stderr, flush=True)


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _install() -> Path | None:
    if os.geteuid() != 0:
        _say("PostgreSQL is not installed and this is not root: cannot install it.")
        return None
    _say("installing Debian's postgresql (once per machine) ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "postgresql"]):
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            _say(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')[-400:]}")
            return None
    return _bin_dir()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print("usage: with_postgres.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    bindir = _bin_dir() or _install()
    if bindir is None:
        _say("running the tests on SQLite only.")
        return subprocess.call(command)
    root = Path(tempfile.mkdtemp(prefix="harbinger-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    started = False
    try:
        init = _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if init.returncode != 0:
            _say("initdb failed:\n" + init.stdout.decode(errors="replace")[-800:])
            return 1
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
        start = _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-w",
                "-l",
                str(root / "server.log"),
                "start",
            ]
        )
        if start.returncode != 0:
            _say("pg_ctl start failed:\n" + start.stdout.decode(errors="replace")[-800:])
            return 1
        started = True
        made = _as_postgres(
            [
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "harbinger_test",
            ]
        )
        if made.returncode != 0:
            _say("createdb failed:\n" + made.stdout.decode(errors="replace")[-800:])
            return 1
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/harbinger_test"
        _say(f"PostgreSQL ready on 127.0.0.1:{port}; HARBINGER_TEST_PG_URL={url}")
        return subprocess.call(command, env={**os.environ, "HARBINGER_TEST_PG_URL": url})
    finally:
        if started:
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
