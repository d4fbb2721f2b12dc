"""Arabic coding speed against English, in words per second, on corpora of the same shape.

Run from the repository root::

    .venv/bin/python benchmarks/arabic_throughput.py --articles 200 --json arabic.json

Both corpora are assembled the way ``throughput.py`` assembles its conflict corpus: articles of
300 to 800 words (uniform, seeded) built from the paragraphs of the project's own reports, each with
a title and a date line. The Arabic paragraphs come from ``tests/data/arabic`` (our own Arabic
corpus), the English ones from ``tests/data/reports`` and ``examples/``. One ``Coder`` codes both
(``Coder.code_many``; the English pipeline, or the Arabic coder for the Arabic documents); each
corpus is coded once to warm up and then timed. Words are whitespace-separated tokens of the body.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from harbinger.extract.coder import Coder  # noqa: E402
from harbinger.ingest.text import parse_header, parse_text  # noqa: E402
from harbinger.records import Document  # noqa: E402

SEED = 20240514
WORDS_RANGE = (300, 800)
MONTHS_AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول")  # fmt: skip


def _paragraphs(folders: Sequence[Path]) -> list[str]:
    found: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.txt")):
            text = path.read_text(encoding="utf-8")
            body = text[parse_header(text).body_start :]
            found += [p.strip() for p in body.split("\n\n") if len(p.split()) >= 8]
    return found


def corpus(paragraphs: Sequence[str], n: int, *, arabic: bool, seed: int = SEED) -> list[Document]:
    """``n`` articles of 300-800 words from ``paragraphs`` (seeded), with a title and date line."""
    rng = random.Random(seed)
    docs: list[Document] = []
    for i in range(n):
        target = rng.randint(*WORDS_RANGE)
        chosen: list[str] = []
        while sum(len(p.split()) for p in chosen) < target:
            chosen.append(rng.choice(paragraphs))
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        if arabic:
            head = f"تقرير رقم {i}\n\n{day.day} {MONTHS_AR[day.month - 1]} {day.year}\n\n"
        else:
            head = f"Report number {i}\n\n{day.day} {day:%B %Y}\n\n"
        docs.append(parse_text(head + "\n\n".join(chosen) + "\n", f"bench:{i}"))
    return docs


def words_of(documents: Sequence[Document]) -> int:
    return sum(len(d.text[d.body_start :].split()) for d in documents)


def measure(coder: Coder, documents: Sequence[Document]) -> dict[str, float]:
    list(coder.code_many(documents[: max(1, len(documents) // 10)]))  # warm up
    start = time.perf_counter()
    coded = list(coder.code_many(documents))
    seconds = time.perf_counter() - start
    words = words_of(documents)
    return {
        "documents": len(documents),
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds, 1),
        "events": sum(len(c.events) for c in coded),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles per language")
    parser.add_argument("--json", type=Path, required=True, help="write the figures here")
    args = parser.parse_args(argv)
    arabic = corpus(_paragraphs([ROOT / "tests" / "data" / "arabic"]), args.articles, arabic=True)
    english = corpus(
        _paragraphs([ROOT / "tests" / "data" / "reports", ROOT / "examples"]),
        args.articles,
        arabic=False,
    )
    coder = Coder()
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}",
        "english": measure(coder, english),
        "arabic": measure(coder, arabic),
    }
    result["arabic_over_english"] = round(
        result["arabic"]["words_per_second"] / result["english"]["words_per_second"], 2
    )
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
