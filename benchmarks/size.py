"""How coding time grows with the size of one report (issue 12: a 4 MB report within 5x the time
of a 1 MB one).

Three kinds of text, each at 1 MB and 4 MB (under the 5 MB limit of one document), built here
with a fixed seed, nothing stored: a line of words with no full stop (the parser's worst case
before sentences were cut), one incident told again and again (every sentence merges into one
event), and varied report sentences. Each is coded once by one ``Coder`` (loaded before the
clock starts); the script prints seconds and the ratio 4 MB / 1 MB, and writes them as JSON.

    .venv/bin/python benchmarks/size.py --json size.json
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable

from harbinger.extract import Coder
from harbinger.ingest.text import parse_text

HEADER = "A long report\n\nBy Test Writer\n\n10 May 2021\n\n"
WORDS = [
    "the",
    "militants",
    "moved",
    "across",
    "the",
    "desert",
    "near",
    "Rutba",
    "and",
    "farmers",
    "watched",
    "them",
    "while",
    "soldiers",
    "searched",
    "villages",
    "north",
    "of",
    "Baiji",
    "for",
    "weapons",
    "and",
    "tunnels",
]
INCIDENT = (
    "Islamic State militants attacked an army checkpoint near Tarmiyah on Sunday, killing two "
    "soldiers. "
)
VARIED = [
    "Gunmen killed {n} shepherds near Rutba on {day}, a security source said.",
    "A roadside bomb wounded {n} soldiers near Tuz Khurmatu on {day}.",
    "Iraqi forces arrested {n} suspects in Fallujah on {day}, the army said.",
    "Residents of Mosul said they feared the return of the group.",
    "Coalition aircraft struck {n} hideouts in the Hamrin mountains on {day}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def one_line(size: int, rng: random.Random) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(WORDS)
        out.append(word)
        total += len(word) + 1
    return " ".join(out)


def repeated(size: int, _rng: random.Random) -> str:
    return INCIDENT * (size // len(INCIDENT))


def varied(size: int, rng: random.Random) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        s = rng.choice(VARIED).format(n=rng.randint(2, 9), day=rng.choice(DAYS))
        out.append(s)
        total += len(s) + 1
    return " ".join(out)


KINDS: dict[str, Callable[[int, random.Random], str]] = {
    "one line, no full stop": one_line,
    "one incident told again and again": repeated,
    "varied report sentences": varied,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", required=True, help="write the timings here")
    args = parser.parse_args()
    coder = Coder()
    coder.code(parse_text(HEADER + INCIDENT, "warm-up"))
    results: dict[str, dict[str, float]] = {}
    for name, make in KINDS.items():
        timings: dict[str, float] = {}
        for mb in (1, 4):
            text = HEADER + make(mb * 1_000_000, random.Random(20191108 + mb))
            doc = parse_text(text, f"{name}-{mb}MB")
            started = time.perf_counter()
            coded = coder.code(doc)
            timings[f"{mb}MB_s"] = round(time.perf_counter() - started, 2)
            timings[f"{mb}MB_events"] = len(coded.events)
        timings["ratio_4_to_1"] = round(timings["4MB_s"] / timings["1MB_s"], 2)
        results[name] = timings
        print(name, timings, flush=True)
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
