"""Tests of scale: the Dask engine, and the cheap pass that keeps coding fast.

``harbinger ingest --engine dask`` must store what the local engine stores. A real
``LocalCluster`` runs here (worker processes, one thread each): the examples are ingested with
each engine and the stored records compared; the library tests share one two-worker cluster,
which the CLI test also reaches by ``--scheduler``. The speed-ups of the coder (an early return
for off-topic documents, a faster ``fold``, a PhraseMatcher actor ruler) are checked for
behaviour against the definitions they replace; no test is timed (see benchmarks/).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from harbinger.cli import app
from harbinger.extract import Coder
from harbinger.ingest import iter_documents
from harbinger.ingest.text import parse_text
from harbinger.knowledge.phrases import fold
from harbinger.records import Document
from harbinger.scale import ClusterError, DaskCoder, code_batch
from harbinger.settings import Settings
from harbinger.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def dask_coder() -> Iterator[DaskCoder]:
    with DaskCoder(Settings(), workers=2) as coder:
        yield coder


@pytest.fixture(scope="module")
def examples() -> list[Document]:
    return [d for d in iter_documents([EXAMPLES]) if isinstance(d, Document)]


def _stored(url: str) -> dict[str, list[dict[str, Any]]]:
    """Everything coded in a store, without the times of ingestion (they differ run to run)."""

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if not k.endswith("_at")}

    with Store(url) as store:
        return {
            "events": sorted((clean(e.to_dict()) for e in store.events()), key=lambda d: d["id"]),
            "claims": sorted((clean(c.to_dict()) for c in store.claims()), key=lambda d: d["id"]),
            "indicators": sorted(
                (clean(i.to_dict()) for i in store.indicators()), key=lambda d: d["id"]
            ),
        }


def _ingest(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES), *args])
    assert result.exit_code == 0, result.output
    assert "6 new documents stored" in result.stderr


def test_dask_ingest_stores_what_the_local_engine_stores(
    tmp_path: Path, dask_coder: DaskCoder
) -> None:
    local, workers, remote = (f"sqlite:///{tmp_path / n}.db" for n in ("local", "dask", "remote"))
    _ingest(["--db", local])
    _ingest(["--db", workers, "--engine", "dask", "--workers", "2"])
    address = dask_coder.client.scheduler.address
    _ingest(["--db", remote, "--engine", "dask", "--scheduler", address])
    expected = _stored(local)
    assert expected["events"] and expected["claims"] and expected["indicators"]
    assert _stored(workers) == expected
    assert _stored(remote) == expected


def test_results_come_back_in_input_order_and_equal_to_the_coder(
    dask_coder: DaskCoder, examples: list[Document]
) -> None:
    coded = list(dask_coder.code_many(examples))
    assert [c.document.id for c in coded] == [d.id for d in examples]
    assert [c.to_dict() for c in coded] == [c.to_dict() for c in Coder().code_many(examples)]


def test_coded_documents_pickle(dask_coder: DaskCoder, examples: list[Document]) -> None:
    for coded in dask_coder.code_many(examples):
        assert pickle.loads(pickle.dumps(coded)) == coded


def _off_topic(n: int, pulled: list[int]) -> Iterator[Document]:
    for i in range(n):
        pulled.append(i)
        yield parse_text(f"Note {i}\n\nThe library opened a reading room on floor {i}.", f"n{i}")


def test_documents_are_read_lazily_with_a_bounded_number_of_batches_in_flight(
    dask_coder: DaskCoder,
) -> None:
    pulled: list[int] = []
    stream = dask_coder.code_many(_off_topic(400, pulled))
    first = next(stream)
    assert first.document.source == "n0"
    batch = dask_coder.settings.batch_size
    # Two workers, two batches each in flight: the client has read four batches, not the input.
    assert len(pulled) == 4 * batch < 400
    rest = list(stream)
    assert [c.document.source for c in [first, *rest]] == [f"n{i}" for i in range(400)]
    assert not any(c.events or c.claims or c.indicators for c in rest)


def test_stopping_early_cancels_what_is_queued(dask_coder: DaskCoder) -> None:
    pulled: list[int] = []
    stream = dask_coder.code_many(_off_topic(400, pulled))
    next(stream)
    stream.close()
    assert len(pulled) < 400
    # The cluster still codes afterwards.
    assert len(list(dask_coder.code_many(_off_topic(3, [])))) == 3


def test_a_worker_without_the_coder_plugin_says_so(dask_coder: DaskCoder) -> None:
    future = dask_coder.client.submit(code_batch, [], "harbinger-coder-none", pure=False)
    with pytest.raises(ClusterError, match="has no Harbinger coder"):
        DaskCoder._result(future)


def test_an_unreachable_scheduler_is_a_cluster_error() -> None:
    with pytest.raises(
        ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        DaskCoder(scheduler="tcp://127.0.0.1:9", connect_timeout="2s")


def test_engine_options_are_checked_before_anything_runs(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    runner = CliRunner()
    for args, message in (
        (["--engine", "spark"], "use 'local' or 'dask'"),
        (["--workers", "2"], "go with --engine dask"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "go with --engine dask"),
        (
            ["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"],
            "not both",
        ),
        (["--engine", "dask", "--workers", "0"], "greater than or equal to 1"),
    ):
        result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", f"sqlite:///{db}", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output
        assert not db.exists()


def test_a_coder_that_cannot_be_built_on_the_workers_fails_before_the_store(
    tmp_path: Path,
) -> None:
    db = tmp_path / "h.db"
    missing = tmp_path / "missing-model.json"
    args = [
        "--db",
        f"sqlite:///{db}",
        "--engine",
        "dask",
        "--workers",
        "1",
        "--model",
        str(missing),
    ]
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES), *args])
    assert result.exit_code == 1, result.output
    assert f"model file {missing} does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_library_rejects_a_scheduler_and_workers_together() -> None:
    with pytest.raises(ValueError, match="not both"):
        DaskCoder(scheduler="tcp://127.0.0.1:8786", workers=2)


# -- the cheap pass and the speed-ups that must not change what is coded -------------------------


def test_an_off_topic_document_stops_at_the_cheap_pass() -> None:
    coder = Coder()
    text = "Garden notes\n\n2020-05-01\n\nThe tulips opened early this year. Bees came on Sunday."
    ctx = coder.prepare(parse_text(text, "garden.txt"))
    assert not ctx.relevant
    assert ctx.sentences == []  # not even split into sentences
    assert coder.finish(ctx).events == ()
    forced = coder.prepare(parse_text(text, "garden.txt"), force=True)
    assert forced.relevant and len(forced.sentences) == 2


def _reference_fold(text: str) -> str:
    # The character-by-character definition of fold (before the translation was made faster).
    import unicodedata

    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFD", low)
        stripped = "".join(c for c in base if not unicodedata.combining(c))
        if len(stripped) == 1:
            low = stripped
        dashes = {"’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "–": " ", "—": " ", "‐": " ", "-": " "}
        out.append(dashes.get(low, low))
    return "".join(out)


@given(st.text(max_size=60))
def test_fold_is_the_character_by_character_fold(text: str) -> None:
    assert fold(text) == _reference_fold(text)


@pytest.mark.parametrize(
    "text", ["Ma’arrat al-Nu‘man", "İDLIB – Deir-ez-Zor", "ÉTAT ISLAMIQUE", "\ud800x-Y", "𐐀Ab"]
)
def test_fold_keeps_length_and_folds_like_the_definition(text: str) -> None:
    assert fold(text) == _reference_fold(text)
    assert len(fold(text)) == len(text)


def test_the_actor_ruler_sets_the_entities_an_entity_ruler_would(examples: list[Document]) -> None:
    import spacy

    from harbinger.knowledge import load_theatre

    coder = Coder()
    reference = spacy.load(coder.settings.spacy_model)
    patterns: list[dict[str, Any]] = []
    for actor in load_theatre(coder.settings.theatre).actors:
        label = "PERSON" if actor.kind == "official" else "ORG"
        for alias in actor.aliases:
            if alias.text.isascii():
                words = alias.text.split()
                pattern = (
                    [{"ORTH": w} for w in words]
                    if alias.case_sensitive
                    else [{"LOWER": w.lower()} for w in words]
                )
                patterns.append({"label": label, "pattern": pattern, "id": actor.id})
    ruler = reference.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    texts = [s.text for d in examples for s in coder.prepare(d).sentences]
    texts.append("ISIS and Islamic State militants, the SDF and Hayat Tahrir al-Sham met in Idlib.")

    def entities(doc: Any) -> list[tuple[int, int, str, str]]:
        return [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents]

    ours = [entities(d) for d in coder.nlp.pipe(texts)]
    theirs = [entities(d) for d in reference.pipe(texts)]
    assert ours == theirs
    assert sum(1 for doc in ours for e in doc if e[3]) >= 5  # the actor ids are set
