"""The web API under load: 100,000 stored events, 20 concurrent clients, on 127.0.0.1 (issue 13).

Builds (once; ``--db`` keeps it) a SQLite store of synthetic events shaped like an imported
ACLED table of Iraq and Syria: one synthetic document and one evidence sentence per event,
dates over nine years, governorates weighted towards where the Islamic State was active, most
events placed at a town (geo precision 1 or 2), one in ten known only to its governorate and
one in twenty only to its country, a fatality count skewed like ACLED's. Nothing of it is stored
in the repository; the same seed gives the same store.

Then it starts ``harbinger.web`` with uvicorn in a process of its own on 127.0.0.1 and a free
port (``--workers N``: N processes, as ``uvicorn --factory harbinger.web:create_app --workers N``
runs it), and sends each endpoint a fixed number of requests from 20 client threads at once
(closed loop: each client sends its next request when the last one is answered):

- ``/api/events``: a page as the dashboard asks for it (10 events), at offsets up to 400 pages
  in, sorted newest first or deadliest first, half of them filtered (governorate, period,
  event type or actor); then the same with the API's default page of 100 (``events_100``);
- ``/api/map``: the map's aggregate for the whole theatre (per governorate), and for the
  dashboard's view (730 x 510 pixels) around a governorate at zooms 8 to 11 (grid cells or
  points), with and without filters (a year, an actor);
- ``/api/warnings``: the dashboard's call (cached per store revision and parameters: the first,
  uncached, request is timed on its own and reported apart).

Every loop is bounded in requests and in time (``--time-limit`` per endpoint); the server is
stopped at the end. Prints p50, p95 and max latency and the errors per endpoint, against the
targets (events p95 <= 300 ms, warnings and map p95 <= 500 ms, no error), with the server's CPU
time per request (from /proc) and the load average before and after; ``--json`` writes them,
with the number of different requests and the slowest.

    .venv/bin/python benchmarks/api_load.py --db /tmp/bench100k.db --json api_load.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from harbinger.geo.boundaries import governorates
from harbinger.records import CodedDocument, Document, Event, Evidence, Place
from harbinger.store import Store

TARGETS_MS = {"events": 300.0, "events_100": 300.0, "map": 500.0, "warnings": 500.0}
TYPES: dict[str, tuple[int, tuple[str, ...]]] = {
    "Battles": (35, ("Armed clash", "Government regains territory", "Non-state actor overtakes territory")),
    "Explosions/Remote violence": (30, ("Remote explosive/landmine/IED", "Air/drone strike", "Shelling/artillery/missile attack", "Suicide bomb")),
    "Violence against civilians": (15, ("Attack", "Abduction/forced disappearance")),
    "Strategic developments": (12, ("Arrests", "Looting/property destruction", "Disrupted weapons use")),
    "Protests": (6, ("Peaceful protest", "Protest with intervention")),
    "Riots": (2, ("Violent demonstration", "Mob violence")),
}  # fmt: skip
ACTORS = {
    "IQ": (
        "Islamic State (Iraq)",
        "Military Forces of Iraq (2018-2022)",
        "Police Forces of Iraq (2018-2022)",
        "Popular Mobilization Forces",
        "Unidentified Armed Group (Iraq)",
        "Protesters (Iraq)",
    ),
    "SY": (
        "Islamic State (Syria)",
        "SDF: Syrian Democratic Forces",
        "Military Forces of Syria (2000-2024)",
        "Unidentified Armed Group (Syria)",
        "Protesters (Syria)",
    ),
}
#: Relative weight of each governorate's events (the rest get 1).
WEIGHTS = {
    "IQ-NI": 14, "IQ-AN": 12, "IQ-SD": 12, "IQ-DI": 10, "IQ-KI": 9, "IQ-BG": 8,
    "SY-DY": 14, "SY-RA": 8, "SY-HA": 7, "SY-HL": 6, "SY-HI": 6, "SY-HM": 4, "SY-ID": 4,
}  # fmt: skip
COUNTRY_POINT = {"IQ": (33.0, 44.0), "SY": (35.0, 38.0)}
COUNTRY_NAME = {"IQ": "Iraq", "SY": "Syria"}
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 9 * 365


# -- the synthetic store -----------------------------------------------------------------------


def synthetic_events(n: int, seed: int = 13) -> Iterator[CodedDocument]:
    """``n`` synthetic documents of one event each (same seed, same events)."""
    rng = random.Random(seed)
    regions = [f["properties"] for f in governorates()["features"]]
    weights = [WEIGHTS.get(p["code"], 1) for p in regions]
    # A dozen towns per governorate around its label point.
    towns = {
        p["code"]: [
            (f"{p['name']} town {k}", p["label_lat"] + rng.uniform(-0.4, 0.4),
             p["label_lon"] + rng.uniform(-0.5, 0.5))
            for k in range(12)
        ]
        for p in regions
    }  # fmt: skip
    types = list(TYPES)
    type_weights = [TYPES[t][0] for t in types]
    for i in range(n):
        region = rng.choices(regions, weights)[0]
        cc = region["country_code"]
        kind = rng.choices(types, type_weights)[0]
        roll = rng.random()
        if roll < 0.05:  # known only to the country
            lat, lon = COUNTRY_POINT[cc]
            place = Place(COUNTRY_NAME[cc], COUNTRY_NAME[cc], cc, None, None, None, lat, lon, 3)
        elif roll < 0.15:  # known only to the governorate
            place = Place(
                region["name"], COUNTRY_NAME[cc], cc, region["name"], region["code"], None,
                region["label_lat"], region["label_lon"], 3,
            )  # fmt: skip
        else:
            town, lat, lon = rng.choice(towns[region["code"]])
            place = Place(
                town, COUNTRY_NAME[cc], cc, region["name"], region["code"], None,
                lat + rng.gauss(0, 0.02), lon + rng.gauss(0, 0.02), 1 if roll < 0.85 else 2,
            )  # fmt: skip
        actor1 = rng.choice(ACTORS[cc])
        actor2 = rng.choice([None, *ACTORS[cc]])
        fatalities = 0 if rng.random() < 0.5 else min(400, int(rng.paretovariate(1.3)))
        date = FIRST_DAY + dt.timedelta(days=int(DAYS * rng.random() ** 0.8))
        text = (
            f"Synthetic report {i}: {kind.lower()} involving {actor1} near {place.name} on "
            f"{date.isoformat()}; {fatalities} killed."
        )
        doc_id = hashlib.sha256(text.encode()).hexdigest()
        event = Event(
            id=f"bench-{i}",
            document_id=doc_id,
            event_type=kind,
            sub_event_type=rng.choice(TYPES[kind][1]),
            date=date,
            time_precision=1,
            actor1=actor1,
            actor2=actor2 if actor2 != actor1 else None,
            place=place,
            fatalities=fatalities,
            confidence=1.0,
            notes=text,
            evidence=(Evidence(text, 0, len(text)),),
        )
        doc = Document(id=doc_id, source="benchmark", text=text, title=f"Report {i}",
                       published=date)  # fmt: skip
        yield CodedDocument(document=doc, events=(event,))


def build_store(path: Path, n: int) -> float:
    """Create the store at ``path`` with ``n`` synthetic events; the seconds it took."""
    start = time.perf_counter()
    with Store(f"sqlite:///{path}") as store:
        store.save_many(synthetic_events(n), origin="acled", batch_size=2000)
    return time.perf_counter() - start


# -- the load ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """uvicorn serving ``harbinger.web.create_app`` (the store from HARBINGER_DB), as
    ``harbinger serve`` does with one process, or with ``workers`` processes."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "harbinger.web:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
               "--workers", str(workers)]  # fmt: skip
    proc = subprocess.Popen(command, env={**os.environ, "HARBINGER_DB": url})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the server exited before it listened") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not listen within 60 s")


def events_paths(rng: random.Random, n: int, limit: int) -> list[str]:
    """Pages of ``limit`` events at offsets up to 400 pages in, half of them filtered."""
    regions = ["IQ-NI", "IQ-AN", "SY-DY", "Kirkuk", "IQ-BG"]
    out = []
    for _ in range(n):
        params: dict[str, Any] = {"limit": limit, "offset": limit * rng.randrange(400)}
        params["sort"] = rng.choice(["-date", "-date", "-date", "-fatalities"])
        filt = rng.random()
        if filt < 0.15:
            params["admin1"] = rng.choice(regions)
        elif filt < 0.3:
            year = rng.randrange(2016, 2025)
            params |= {"since": f"{year}-01-01", "until": f"{year}-06-30"}
        elif filt < 0.4:
            params["type"] = rng.choice(list(TYPES))
        elif filt < 0.5:
            params["actor"] = rng.choice(["Daesh", "Islamic State", "SDF"])
            params["offset"] = limit * rng.randrange(20)
        out.append("/api/events?" + httpx.QueryParams(params).__str__())
    return out


def map_paths(rng: random.Random, n: int) -> list[str]:
    regions = [f["properties"] for f in governorates()["features"]]
    out = []
    for _ in range(n):
        params: dict[str, Any]
        if rng.random() < 0.4:
            params = {"zoom": rng.choice([5, 6]), "bbox": "33.0,28.5,50.0,38.0"}
        else:
            p = rng.choice(regions)
            zoom = rng.choice([8, 9, 10, 11])
            # The dashboard's map at a 1440-pixel-wide window: 730 x 510 pixels.
            half = 360 / 2**zoom * 365 / 256
            lat, lon = p["label_lat"], p["label_lon"]
            params = {
                "zoom": zoom,
                "bbox": f"{lon - half:.3f},{lat - half * 0.7:.3f},{lon + half:.3f},{lat + half * 0.7:.3f}",
            }
        if rng.random() < 0.3:
            year = rng.randrange(2016, 2025)
            params |= {"since": f"{year}-01-01", "until": f"{year}-12-31"}
        if rng.random() < 0.1:
            params["actor"] = "Daesh"
        out.append("/api/map?" + str(httpx.QueryParams(params)))
    return out


def load(base: str, paths: list[str], clients: int, time_limit: float) -> dict[str, Any]:
    """Send every path once from ``clients`` threads; latencies in ms, errors, wall time."""
    latencies: list[float] = []
    timed: list[tuple[float, str]] = []
    errors: list[str] = []
    lock = threading.Lock()
    todo = iter(paths)
    deadline = time.monotonic() + time_limit

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() < deadline:
                with lock:
                    path = next(todo, None)
                if path is None:
                    return
                start = time.perf_counter()
                try:
                    r = http.get(path)
                    ok = r.status_code == 200
                    why = f"{r.status_code} {path}"
                except httpx.HTTPError as exc:
                    ok, why = False, f"{type(exc).__name__} {path}"
                took = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(took)
                    timed.append((took, path))
                    if not ok:
                        errors.append(why)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    pct: Callable[[float], float] = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "requests": len(latencies),
        "planned": len(paths),
        "errors": len(errors),
        "error_examples": errors[:3],
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(pct(0.95), 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "wall_s": round(wall, 1),
        "per_s": round(len(latencies) / wall, 1) if wall else None,
        "slowest": [f"{ms:.0f} ms {path}" for ms, path in sorted(timed, reverse=True)[:5]],
    }


def server_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by the process ``pid`` and its children (the
    workers of ``--workers N``), from /proc; None where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # After the command: state, ppid, ..., utime (14th field), stime (15th).
            if entry.name == str(pid) or fields[1] == str(pid):
                total += (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return None
    return total


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "date": dt.date.today().isoformat(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None, help="the store to build or reuse")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="server processes (uvicorn)")
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per endpoint")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 1 or args.events < 1:
        parser.error("--clients, --requests and --events must be 1 or more")
    db = args.db or Path(f"/tmp/harbinger-bench-{args.events}.db")
    result: dict[str, Any] = {"machine": machine(), "events": args.events,
                              "clients": args.clients, "workers": args.workers}  # fmt: skip
    if not db.exists():
        print(f"building {db} with {args.events} synthetic events ...", flush=True)
        result["build_s"] = round(build_store(db, args.events), 1)
        print(f"  {result['build_s']} s", flush=True)
    url = f"sqlite:///{db}"
    with Store(url) as store:
        stored = store.count_events()
    if stored != args.events:
        print(f"{db} holds {stored} events, not {args.events}: remove it first", file=sys.stderr)
        return 2
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(url, port, args.workers)
    rng = random.Random(7)
    try:
        with httpx.Client(base_url=base, timeout=300) as http:
            cold: dict[str, float] = {}
            for name, path in (
                ("dashboard", "/"),
                ("events", "/api/events?limit=10"),
                ("map", "/api/map?zoom=6&bbox=33,28.5,50,38"),
                ("warnings", "/api/warnings"),
                ("series", "/api/series?by_type=true"),
            ):
                start = time.perf_counter()
                r = http.get(path)
                cold[name] = round((time.perf_counter() - start) * 1000, 1)
                if r.status_code != 200:
                    print(f"{path}: {r.status_code} {r.text[:200]}", file=sys.stderr)
                    return 1
        result["first_request_ms"] = cold
        print(f"first requests (ms): {cold}", flush=True)
        plans = {
            # The dashboard's page (10 events), and the API's default page (100).
            "events": events_paths(rng, args.requests, 10),
            "events_100": events_paths(rng, args.requests, 100),
            "map": map_paths(rng, args.requests),
            "warnings": ["/api/warnings"] * args.requests,
        }
        result["endpoints"] = {}
        for name, paths in plans.items():
            cpu_before = server_cpu_seconds(proc.pid)
            client_before = time.process_time()
            load_before = os.getloadavg()[0]
            stats = load(base, paths, args.clients, args.time_limit)
            cpu_after = server_cpu_seconds(proc.pid)
            if cpu_before is not None and cpu_after is not None and stats["requests"]:
                # The server's CPU time per request: what queueing multiplies.
                stats["server_cpu_ms"] = round(
                    (cpu_after - cpu_before) * 1000 / stats["requests"], 1
                )
            if stats["requests"]:
                stats["client_cpu_ms"] = round(
                    (time.process_time() - client_before) * 1000 / stats["requests"], 1
                )
            stats["distinct"] = len(set(paths))
            stats["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            stats["target_p95_ms"] = TARGETS_MS[name]
            stats["met"] = bool(
                stats["p95_ms"] is not None
                and stats["p95_ms"] <= TARGETS_MS[name]
                and not stats["errors"]
                and stats["requests"] == stats["planned"]
            )
            result["endpoints"][name] = stats
            print(
                f"{name:9} {stats['requests']:5} requests  p50 {stats['p50_ms']:7} ms  "
                f"p95 {stats['p95_ms']:7} ms  max {stats['max_ms']:7} ms  "
                f"errors {stats['errors']}  {stats['per_s']}/s  "
                f"server CPU {stats.get('server_cpu_ms')} ms/request  "
                f"load {stats['load_average'][0]}-{stats['load_average'][1]}  "
                f"target p95 <= {TARGETS_MS[name]:.0f} ms: {'met' if stats['met'] else 'NOT met'}",
                flush=True,
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if all(s["met"] for s in result["endpoints"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
