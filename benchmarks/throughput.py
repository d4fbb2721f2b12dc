"""Throughput and memory of Harbinger's coding, measured against spaCy on the same texts.

Run from the repository root::

    .venv/bin/python benchmarks/throughput.py --quick --json throughput.json

One run builds a reproducible corpus (see :func:`load_pools` and docs/benchmarks.md) and measures,
on the same texts: Harbinger's full coding (``Coder.code_many``) in words per second; spaCy's full
pipeline alone (``nlp.pipe``); spaCy's tokenizer alone; Harbinger on a mixed stream of which 80 %
of the articles are off-topic; the Dask engine with two workers against one process (outputs
compared); and the peak resident memory of ``harbinger ingest`` over a JSON Lines stream of two
sizes, each in a fresh process. ``--json OUT`` writes the headline figures; ``--details OUT``
writes everything measured (timings, both memory runs, the machine).

Nothing is copied into the repository: the conflict snippets are read at run time from
``../shared/data/dev`` when it is there; without it only the project's ``examples/`` are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from harbinger.ingest.text import parse_text  # noqa: E402
from harbinger.records import Document  # noqa: E402

SHARED_DEV = ROOT.parent / "shared" / "data" / "dev"
SEED = 20190811
#: Articles are assembled to a length drawn uniformly from this range of words.
WORDS_RANGE = (300, 800)
#: Of every ten articles of the mixed stream, this many are off-topic (seeded order within ten).
OFF_TOPIC_PER_TEN = 8
#: Standard-library modules whose documentation strings make the off-topic articles.
OFF_TOPIC_MODULES = (
    "argparse",
    "asyncio",
    "calendar",
    "collections",
    "configparser",
    "contextlib",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "difflib",
    "email.message",
    "enum",
    "fractions",
    "functools",
    "gzip",
    "heapq",
    "http.client",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "logging",
    "mailbox",
    "pathlib",
    "pickle",
    "random",
    "shutil",
    "socket",
    "sqlite3",
    "statistics",
    "string",
    "subprocess",
    "tarfile",
    "tempfile",
    "textwrap",
    "threading",
    "typing",
    "unittest",
    "urllib.parse",
    "uuid",
    "zipfile",
)


# -- the corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pools:
    """The pieces articles are assembled from."""

    #: The body paragraphs of each example article (examples/*.txt, sorted by name).
    examples: tuple[tuple[str, ...], ...]
    #: Conflict snippets (text, date) from ../shared/data/dev, by source; empty without it.
    snippets: tuple[tuple[tuple[str, dt.date | None], ...], ...]
    #: Paragraphs of prose from the standard library's documentation strings.
    off_topic: tuple[str, ...]
    #: Whether ../shared/data/dev was read.
    shared: bool


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in ".!?\"'”" else text + "."


def _example_bodies() -> tuple[tuple[str, ...], ...]:
    bodies = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        doc = parse_text(path.read_text(encoding="utf-8"), str(path))
        body = doc.text[doc.body_start :]
        bodies.append(tuple(" ".join(p.split()) for p in body.split("\n\n") if p.strip()))
    return tuple(bodies)


def _shared_snippets(dev: Path) -> tuple[tuple[tuple[str, dt.date | None], ...], ...]:
    from harbinger.evaluate.datasets import load_case2021, load_drone, load_ucdp

    case = load_case2021(dev / "case2021-task2" / "case2021_task2.tsv")
    drone = load_drone(dev / "acled-gtd-drone" / "drone_iraq_syria.csv")
    ucdp = load_ucdp(dev / "ucdp-ged-syria" / "ged_syria_2016-2019.csv")
    return (
        tuple((_sentence(r.text), None) for r in case.rows if r.text.strip()),
        tuple((_sentence(r.text), r.date) for r in drone.rows if r.text.strip()),
        tuple((_sentence(r.headline), r.source_date) for r in ucdp.rows if r.headline.strip()),
    )


_PROSE_WORD = re.compile(r"^[A-Za-z][a-z]*[,.;:]?$")


def _off_topic_paragraphs() -> tuple[str, ...]:
    """Prose paragraphs of the docstrings of OFF_TOPIC_MODULES and their public members."""
    seen: set[str] = set()
    paragraphs: list[str] = []
    for name in OFF_TOPIC_MODULES:
        module = importlib.import_module(name)
        docs = [inspect.getdoc(module) or ""]
        for attr in sorted(dir(module)):
            if attr.startswith("_"):
                continue
            docs.append(inspect.getdoc(getattr(module, attr, None)) or "")
        for doc in docs:
            for para in doc.split("\n\n"):
                words = para.split()
                # Prose only: no code, tables or signatures (most words plain words).
                if len(words) < 12 or ">>>" in para:
                    continue
                if sum(bool(_PROSE_WORD.match(w)) for w in words) < 0.8 * len(words):
                    continue
                text = _sentence(para)
                if text not in seen:
                    seen.add(text)
                    paragraphs.append(text)
    return tuple(paragraphs)


def load_pools(shared: Path | None = SHARED_DEV) -> Pools:
    """The pieces of the corpus: examples, the dev snippets (when present), docstring prose."""
    snippets: tuple[tuple[tuple[str, dt.date | None], ...], ...] = ()
    if shared is not None and shared.is_dir():
        snippets = _shared_snippets(shared)
    return Pools(_example_bodies(), snippets, _off_topic_paragraphs(), bool(snippets))


def _words(paragraphs: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _article(title: str, date: dt.date, paragraphs: Sequence[str]) -> str:
    return f"{title}\n\n{date.isoformat()}\n\n" + "\n\n".join(paragraphs) + "\n"


def _random_date(rng: random.Random) -> dt.date:
    return dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))


def conflict_article(rng: random.Random, pools: Pools, i: int) -> Document:
    """A conflict article: an example's body, then paragraphs of one to three dev snippets.

    Without the dev snippets: paragraphs of the examples, drawn at random.
    """
    target = rng.randint(*WORDS_RANGE)
    date = _random_date(rng)
    if pools.snippets:
        paragraphs = list(rng.choice(pools.examples))
        title = ""
        while _words(paragraphs) < target:
            parts = []
            for _ in range(rng.randint(1, 3)):
                text, when = rng.choice(rng.choice(pools.snippets))
                parts.append(text)
                if not title:
                    title = " ".join(text.rstrip(".").split()[:12])
                    date = when or date
            paragraphs.append(" ".join(parts))
        title = title or f"Report {i}"
    else:
        everything = [p for body in pools.examples for p in body]
        paragraphs = []
        while _words(paragraphs) < target:
            paragraphs.append(rng.choice(everything))
        title = " ".join(paragraphs[0].rstrip(".").split()[:10])
    return parse_text(_article(title, date, paragraphs), f"bench/conflict/{i}")


def off_topic_article(rng: random.Random, pools: Pools, i: int) -> Document:
    """An off-topic article: paragraphs of standard-library docstring prose, drawn at random."""
    target = rng.randint(*WORDS_RANGE)
    paragraphs: list[str] = []
    while _words(paragraphs) < target:
        paragraphs.append(rng.choice(pools.off_topic))
    title = f"Notes on software, part {i}"
    return parse_text(_article(title, _random_date(rng), paragraphs), f"bench/other/{i}")


def conflict_corpus(pools: Pools, n: int, seed: int = SEED) -> Iterator[Document]:
    """``n`` conflict articles (lazily)."""
    rng = random.Random(seed)
    for i in range(n):
        yield conflict_article(rng, pools, i)


def mixed_stream(pools: Pools, n: int, seed: int = SEED + 1) -> Iterator[Document]:
    """``n`` articles of which OFF_TOPIC_PER_TEN in ten are off-topic (lazily; order seeded)."""
    rng = random.Random(seed)
    kinds: list[bool] = []
    for i in range(n):
        if not kinds:
            kinds = [True] * OFF_TOPIC_PER_TEN + [False] * (10 - OFF_TOPIC_PER_TEN)
            rng.shuffle(kinds)
        if kinds.pop():
            yield off_topic_article(rng, pools, i)
        else:
            yield conflict_article(rng, pools, i)


def words_of(documents: Sequence[Document]) -> int:
    return sum(len(d.text.split()) for d in documents)


# -- measurements ---------------------------------------------------------------------------------


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _code(coder: Any, documents: Sequence[Document]) -> list[dict[str, Any]]:
    return [c.to_dict() for c in coder.code_many(documents)]


def _tokens(pipe: Any, texts: Sequence[str]) -> int:
    return sum(len(doc) for doc in pipe(texts))


@dataclass
class Side:
    """Seconds spent by each contender over the same texts."""

    harbinger: float = 0.0
    spacy_full: float = 0.0
    tokenizer: float = 0.0


def measure_side_by_side(
    coder: Any, nlp: Any, documents: Sequence[Document], chunk: int
) -> tuple[Side, list[dict[str, Any]]]:
    """Harbinger, spaCy's full pipeline and its tokenizer, taking turns chunk by chunk.

    Taking turns over the same chunks (of ``chunk`` documents: the coder's batch size, so its
    batches are the ones a whole run would make) spreads any change in the machine's load over
    all three, instead of charging it to whichever ran at the time.
    """
    side = Side()
    coded: list[dict[str, Any]] = []
    for i in range(0, len(documents), chunk):
        part = documents[i : i + chunk]
        texts = [d.text for d in part]
        seconds, out = _timed(_code, coder, part)
        side.harbinger += seconds
        coded.extend(out)
        side.spacy_full += _timed(_tokens, nlp.pipe, texts)[0]
        side.tokenizer += _timed(_tokens, nlp.tokenizer.pipe, texts)[0]
    return side, coded


def measure_dask(
    coder: Any, documents: Sequence[Document], workers: int, rounds: int
) -> tuple[list[float], list[float], list[list[dict[str, Any]]]]:
    """Seconds of one process and of ``workers`` Dask workers, taking turns ``rounds`` times,
    and the outputs of every run (to compare).

    Both are timed warm: the one process has coded these documents already (the side-by-side
    measurement), so the workers code them once, untimed, before the turns begin. Their caches
    (the tokenizer's, the vocabulary, the attribute ruler's and lemmatizer's memories) are then
    as full as the process's: a comparison of the steady state, not of a cold start.
    """
    from harbinger.scale import DaskCoder

    single: list[float] = []
    dask: list[float] = []
    outputs: list[list[dict[str, Any]]] = []
    with DaskCoder(coder.settings, workers=workers) as engine:
        list(engine.code_many(documents))  # warm, as the one process is
        for _ in range(rounds):
            seconds, one = _timed(_code, coder, documents)
            single.append(seconds)
            seconds, many = _timed(_code, engine, documents)
            dask.append(seconds)
            outputs += [one, many]
    return single, dask, outputs


#: Turns of one process against the Dask workers; the best time of each counts, since other
#: jobs on a shared machine slow a run down and never speed it up.
DASK_ROUNDS = 3

#: Articles per JSON Lines file of a memory run (a folder of files, as a scraper writes them; the
#: reader reads each a line at a time, so one big file would do as well).
DOCS_PER_FILE = 250


def _parse_seconds(model: str, texts: Sequence[str]) -> float:
    """Seconds of spaCy's pipeline (without ``ner``) over ``texts``, loaded and warmed first."""
    import spacy

    nlp = spacy.load(model, exclude=["ner"])
    list(nlp.pipe(texts[:4]))
    return _timed(_tokens, nlp.pipe, texts)[0]


def measure_parallel_ceiling(model: str, texts: Sequence[str]) -> dict[str, Any]:
    """What two processes gain over one on this machine with no Dask at all: spaCy's pipeline
    over the same texts in one process, then in two at once (each the whole texts).

    The ceiling of any two-worker engine here: on a machine whose two cores share their host
    with other work, or a memory bus, two processes do not get twice the work done.
    """
    import multiprocessing

    one = _parse_seconds(model, texts)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        two = pool.starmap(_parse_seconds, [(model, texts), (model, texts)])
    return {
        "one_process_s": round(one, 2),
        "two_processes_s": [round(x, 2) for x in two],
        "speedup_2_processes": round(2 * one / max(two), 2),
    }


def measure_memory(n: int, tmp: Path) -> dict[str, Any]:
    """Peak RSS of ``harbinger ingest`` (fresh process) over ``n`` mixed-stream articles.

    The articles are written as a folder of JSON Lines files, then ingested into a new SQLite
    store by the command line, as a user would; the peak is the child's ``ru_maxrss``.
    """
    folder = tmp / f"stream_{n}"
    folder.mkdir()
    words = 0
    fh = None
    for k, doc in enumerate(mixed_stream(load_pools_cached(), n, seed=SEED + n)):
        if k % DOCS_PER_FILE == 0:
            if fh is not None:
                fh.close()
            fh = (folder / f"part_{k // DOCS_PER_FILE:05d}.jsonl").open("w", encoding="utf-8")
        words += len(doc.text.split())
        assert fh is not None
        fh.write(json.dumps({"text": doc.text, "source": doc.source}) + "\n")
    if fh is not None:
        fh.close()
    db = tmp / f"stream_{n}.db"
    cmd = [sys.executable, "-m", "harbinger.cli", "ingest", str(folder), "--db", f"sqlite:///{db}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"harbinger ingest failed on {folder}: {stderr}")
    shutil.rmtree(folder)
    db.unlink()
    return {
        "docs": n,
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_s": round(words / seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "summary": stderr.strip().splitlines()[-1] if stderr.strip() else "",
    }


_POOLS: list[Pools] = []


def load_pools_cached() -> Pools:
    if not _POOLS:
        _POOLS.append(load_pools())
    return _POOLS[0]


def machine() -> dict[str, Any]:
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    import spacy

    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "date": dt.date.today().isoformat(),
    }


def memory_only(sizes: Sequence[int], out: Path) -> int:
    """The memory runs alone (a 100,000-article stream takes an hour here): peak RSS by size."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            runs.append(measure_memory(n, Path(tmp)))
            sys.stderr.write(f"memory: {runs[-1]}\n")
    result = {
        "memory_runs": runs,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "dev_snippets_read": load_pools_cached().shared,
        "machine": machine(),
    }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller corpus (under 5 minutes)")
    parser.add_argument("--json", type=Path, required=True, help="write the headline figures here")
    parser.add_argument("--details", type=Path, help="write every measurement here")
    parser.add_argument(
        "--memory-only",
        type=int,
        nargs="+",
        metavar="ARTICLES",
        help="only the memory runs, at these sizes (e.g. 2000 100000); --json gets their results",
    )
    args = parser.parse_args(argv)
    if args.memory_only:
        return memory_only(args.memory_only, args.json)

    # Sizes: conflict articles; mixed-stream articles; the two memory runs.
    n_conflict, n_mixed, memory_sizes = (
        (128, 200, (200, 800)) if args.quick else (384, 1000, (2000, 10000))
    )
    pools = load_pools_cached()
    log = sys.stderr.write
    # Memory first, while this process is small: a child's ru_maxrss counts the pages of the
    # parent it was forked from, so a child of a large parent would report the parent's size.
    parent_rss = _peak_rss_mb()
    load_start = os.getloadavg()[0]  # this run's own processes count too: a hint, not a measure
    with tempfile.TemporaryDirectory() as tmp:
        memory = []
        for n in memory_sizes:
            memory.append(measure_memory(n, Path(tmp)))
            log(f"memory: {memory[-1]}\n")
    conflict = list(conflict_corpus(pools, n_conflict))
    mixed = list(mixed_stream(pools, n_mixed))
    conflict_words, mixed_words = words_of(conflict), words_of(mixed)
    log(
        f"corpus: {n_conflict} conflict articles ({conflict_words} words), mixed stream "
        f"{n_mixed} ({mixed_words} words); dev snippets {'read' if pools.shared else 'ABSENT'}\n"
    )

    import spacy

    from harbinger.extract import Coder

    coder = Coder()
    nlp = spacy.load(coder.settings.spacy_model)  # spaCy alone: no actor ruler
    warm = list(conflict_corpus(pools, 2, seed=1))
    list(coder.code_many(warm))  # load the pipelines and warm the caches off the clock
    list(nlp.pipe([d.text for d in warm]))
    batch = coder.settings.batch_size

    on_conflict, h_out = measure_side_by_side(coder, nlp, conflict, batch)
    h_s, full_s, tok_s = on_conflict.harbinger, on_conflict.spacy_full, on_conflict.tokenizer
    log(
        f"conflict: harbinger {conflict_words / h_s:.0f} words/s, spaCy full "
        f"{conflict_words / full_s:.0f}, tokenizer {conflict_words / tok_s:.0f}\n"
    )
    on_mixed, _ = measure_side_by_side(coder, nlp, mixed, batch)
    m_s, full_mixed_s = on_mixed.harbinger, on_mixed.spacy_full
    log(
        f"mixed stream: harbinger {mixed_words / m_s:.0f} words/s, spaCy full "
        f"{mixed_words / full_mixed_s:.0f}\n"
    )
    loads = {"start": load_start, "before_dask": os.getloadavg()[0]}
    singles, dasks, outputs = measure_dask(coder, conflict, 2, rounds=DASK_ROUNDS)
    loads["after_dask"] = os.getloadavg()[0]
    single_s, d_s = min(singles), min(dasks)
    dask_same = all(out == h_out for out in outputs)
    log(f"dask 2 workers: {dasks} s; one process {singles} s\n")
    ceiling = measure_parallel_ceiling(coder.settings.spacy_model, [d.text for d in conflict])
    log(f"two spaCy processes, no Dask: {ceiling}\n")
    main_rss = _peak_rss_mb()

    spacy_wps = conflict_words / full_s
    headline = {
        "docs": n_conflict,
        "words": conflict_words,
        "harbinger_words_per_s": round(conflict_words / h_s, 1),
        "spacy_full_words_per_s": round(spacy_wps, 1),
        "tokenizer_words_per_s": round(conflict_words / tok_s, 1),
        "ratio_vs_spacy_full": round(full_s / h_s, 2),
        "ratio_mixed_stream_vs_spacy_full": round(full_mixed_s / m_s, 2),
        "peak_rss_mb": max(m["peak_rss_mb"] for m in memory),
        "dask_speedup_2_workers": round(single_s / d_s, 2),
        "dask_matches_single": dask_same,
    }
    args.json.write_text(json.dumps(headline, indent=2) + "\n", encoding="utf-8")
    if args.details:
        details = {
            "headline": headline,
            "quick": args.quick,
            "seed": SEED,
            "dev_snippets_read": pools.shared,
            "pool_sizes": {
                "example_bodies": len(pools.examples),
                "dev_snippets": [len(s) for s in pools.snippets],
                "off_topic_paragraphs": len(pools.off_topic),
            },
            "seconds": {
                "harbinger_conflict": round(h_s, 2),
                "harbinger_mixed": round(m_s, 2),
                "spacy_full_conflict": round(full_s, 2),
                "spacy_full_mixed": round(full_mixed_s, 2),
                "tokenizer_conflict": round(tok_s, 2),
                "one_process_conflict_rounds": [round(x, 2) for x in singles],
                "dask_2_workers_conflict_rounds": [round(x, 2) for x in dasks],
            },
            "parallel_ceiling_spacy_2_processes": ceiling,
            "mixed_stream": {
                "docs": n_mixed,
                "words": mixed_words,
                "harbinger_words_per_s": round(mixed_words / m_s, 1),
                "spacy_full_words_per_s": round(mixed_words / full_mixed_s, 1),
            },
            "memory_runs": memory,
            "benchmark_process_peak_rss_mb": round(main_rss, 1),
            "load_average_1min": {k: round(v, 2) for k, v in loads.items()},
            "benchmark_process_rss_mb_when_memory_runs_started": round(parent_rss, 1),
            "machine": machine(),
        }
        args.details.write_text(json.dumps(details, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(headline, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
