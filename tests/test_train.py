"""Tests of the trained event-type classifier: ``harbinger train`` and ``--model``.

The training data is ``tests/data/train/notes.csv``: 60 invented one-sentence notes in the shape of
an ACLED export, ten for each of six sub-event types. To prove that ``--model`` really switches the
typing, one model is trained on the same notes with the air-strike and shelling labels swapped: the
patterns call the Hamrin air strike an air strike, that model calls it shelling, and the event must
follow the model where it is confident and the patterns where it is not.
"""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from harbinger.cli import app
from harbinger.errors import EncodingError, InputError, ModelError
from harbinger.extract import Coder
from harbinger.extract.classify import SnippetClassifier
from harbinger.extract.trained import (
    CONFIDENT,
    FORMAT_VERSION,
    TrainedModel,
    evaluate,
    load_model,
    normalise_label,
    read_training_data,
    split_holdout,
    train,
)
from harbinger.settings import Settings
from harbinger.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "train"
NOTES = DATA / "notes.csv"
BAD_ROWS = DATA / "bad_rows.csv"
AIRSTRIKE = ROOT / "examples" / "airstrike_hamrin.txt"
AIR, SHELLING = "Air/drone strike", "Shelling/artillery/missile attack"
HAMRIN = (
    "Iraqi F-16 fighter jets struck an Islamic State hideout in the Hamrin mountains in Salah "
    "al-Din governorate on Tuesday, June 16, killing nine militants."
)

runner = CliRunner()


def run(*args: str | Path) -> Result:
    """Invoke ``harbinger``; fail on an uncaught exception (a traceback)."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"harbinger {args} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    return result


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def model() -> TrainedModel:
    rows = read_training_data(NOTES)
    return train(rows.texts, rows.labels)


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Model files written by ``harbinger train``: on the notes, and on the notes with the air
    strike and shelling labels swapped; plus a copy of the swapped one with its weights zeroed,
    which is never confident (1/6 for every class)."""
    folder = tmp_path_factory.mktemp("models")
    swapped_csv = folder / "swapped.csv"
    with (
        NOTES.open(encoding="utf-8", newline="") as src,
        swapped_csv.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        swap = {AIR: SHELLING, SHELLING: AIR}
        for row in reader:
            row["sub_event_type"] = swap.get(row["sub_event_type"], row["sub_event_type"])
            writer.writerow(row)
    files = {"notes": folder / "notes.json", "swapped": folder / "swapped.json"}
    for name, csv_path in (("notes", NOTES), ("swapped", swapped_csv)):
        result = run("train", csv_path, "--out", files[name])
        assert result.exit_code == 0, result.output
    data = json.loads(files["swapped"].read_text(encoding="utf-8"))
    shape = data["weights"]["shape"]
    data["weights"]["base64"] = base64.b64encode(np.zeros(shape, dtype="<f4").tobytes()).decode()
    n = len(data["classes"])
    data["intercepts"]["base64"] = base64.b64encode(np.zeros(n, dtype="<f8").tobytes()).decode()
    files["unsure"] = folder / "unsure.json"
    files["unsure"].write_text(json.dumps(data), encoding="utf-8")
    return files


# -- reading the training data -------------------------------------------------------------------


def test_the_notes_are_read_whole() -> None:
    rows = read_training_data(NOTES)
    assert len(rows.texts) == 60
    assert rows.skipped == ()
    assert {label: rows.labels.count(label) for label in set(rows.labels)} == {
        "Armed clash": 10,
        AIR: 10,
        "Remote explosive/landmine/IED": 10,
        "Arrests": 10,
        "Suicide bomb": 10,
        SHELLING: 10,
    }
    assert rows.lines[0] == 2 and rows.lines[-1] == 61


def test_bad_rows_are_skipped_with_their_line_and_reason() -> None:
    rows = read_training_data(BAD_ROWS)
    skipped = {s.line: s.reason for s in rows.skipped}
    assert sorted(skipped) == [3, 4, 5, 10, 13, 14]
    assert skipped[3] == "empty text in column 'notes'"
    assert "'Diplomacy' is not an ACLED sub-event type" in skipped[4]
    assert skipped[5] == "empty label in column 'sub_event_type'"
    assert skipped[10] == "empty text in column 'notes'"  # only blanks inside the quotes
    assert skipped[13] == "the row has 1 of the header's 3 fields"
    assert "'Natural disaster' is not an ACLED sub-event type" in skipped[14]
    assert all(s.source == str(BAD_ROWS) for s in rows.skipped)
    # A CASE label and a lower-case name are mapped to ACLED's spelling; a note over three lines
    # keeps the line it starts on, and the rows after it keep theirs.
    assert rows.lines == (2, 6, 7, 12)
    assert rows.labels == ("Armed clash", AIR, "Arrests", "Suicide bomb")
    assert (
        rows.texts[2].startswith("On 6 May 2020, police arrested") and "Fallujah" in rows.texts[2]
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Armed clash", "Armed clash"),
        ("armed CLASH", "Armed clash"),
        ("ARMED_CLASH", "Armed clash"),
        ("air_strike", AIR),
        ("NON_STATE_ACTOR_OVERTAKES_TER", "Non-state actor overtakes territory"),
        ("DIPLO", None),
        ("Battles", None),
        ("", None),
    ],
)
def test_labels_are_acled_names_or_case_labels(value: str, expected: str | None) -> None:
    assert normalise_label(value) == expected


def test_a_missing_column_names_the_columns_there_are(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("event_type,sub_event_type,summary\nBattles,Armed clash,x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_training_data(path)
    message = str(info.value)
    assert message.startswith(f"{path}:1: no column 'notes'")
    assert "summary" in message and "--text-column" in message
    assert len(read_training_data(path, text_column="summary").texts) == 1


def test_a_file_that_is_not_utf8_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "notes,sub_event_type\nAffrontements \xe0 Hawija,Armed clash\n".encode("latin-1")
    )
    with pytest.raises(EncodingError, match="not UTF-8"):
        read_training_data(path)


def test_a_tsv_file_is_read_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "snippets.tsv"
    path.write_text("id\tEventSnippet\tSubType\n1\tJets bombed a base, Iraq\tAIR_STRIKE\n")
    rows = read_training_data(path, text_column="EventSnippet", label_column="SubType")
    assert rows.texts == ("Jets bombed a base, Iraq",) and rows.labels == (AIR,)


# -- training, saving, loading -------------------------------------------------------------------


def test_the_model_types_new_notes(model: TrainedModel) -> None:
    # Notes that are not in the training data, one per type.
    cases = {
        "On 3 May 2020, a suicide bomber blew himself up at a checkpoint, killing four guards.": (
            "Suicide bomb"
        ),
        "On 4 May 2020, police arrested two IS suspects in a raid near Tikrit.": "Arrests",
        "On 5 May 2020, coalition jets struck an IS hideout in the desert.": AIR,
        "On 6 May 2020, a roadside bomb exploded under a police patrol.": (
            "Remote explosive/landmine/IED"
        ),
    }
    for (label, prob), expected in zip(
        model.predict_many(list(cases)), cases.values(), strict=True
    ):
        assert label == expected
        assert prob >= CONFIDENT
    probs = model.probabilities(list(cases))
    assert probs.shape == (4, 6)
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_a_saved_model_loads_and_gives_the_same_probabilities(
    model: TrainedModel, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    model.save(path)
    loaded = load_model(path)
    texts = [*read_training_data(NOTES).texts, HAMRIN, "", "nothing of the sort"]
    assert loaded.classes == model.classes
    assert np.array_equal(loaded.probabilities(texts), model.probabilities(texts))
    assert loaded.predict_many(texts) == model.predict_many(texts)
    assert loaded.settings == model.settings
    assert loaded.temperature == model.temperature


def test_the_model_file_is_json_with_its_provenance(model: TrainedModel, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "harbinger-event-classifier"
    assert data["format_version"] == FORMAT_VERSION
    assert data["harbinger_version"] == "0.1.0"
    assert data["created"][:2] == "20"
    assert data["training_data"]["rows"] == 60
    assert len(data["training_data"]["sha256"]) == 64
    assert data["training_data"]["labels"]["Arrests"] == 10
    assert data["settings"]["word_ngrams"] == [1, 2]
    assert data["settings"]["char_ngrams"] == [3, 5]
    assert [f["analyzer"] for f in data["features"]] == ["word", "char_wb"]
    assert "hideout" in data["features"][0]["vocabulary"]
    assert data["weights"]["shape"] == [6, sum(len(f["vocabulary"]) for f in data["features"])]


def test_training_is_repeatable(model: TrainedModel) -> None:
    rows = read_training_data(NOTES)
    again = train(rows.texts, rows.labels)
    assert np.array_equal(again.weights, model.weights)
    assert again.temperature == model.temperature
    assert again.info["training_data"] == model.info["training_data"]


def test_two_classes_make_a_model_too() -> None:
    rows = read_training_data(NOTES)
    pairs = [(t, y) for t, y in zip(rows.texts, rows.labels, strict=True) if y in ("Arrests", AIR)]
    two = train([t for t, _ in pairs], [y for _, y in pairs])
    assert two.classes == ("Air/drone strike", "Arrests")
    label, prob = two.predict_one("Security forces detained five suspects in a raid.")
    assert label == "Arrests" and prob > 0.5
    assert two.predict_one("Warplanes bombed a hideout.")[0] == AIR


def test_training_needs_two_acled_types() -> None:
    with pytest.raises(InputError, match="at least two"):
        train(["a clash", "another clash"], ["Armed clash", "ARMED_CLASH"])
    with pytest.raises(InputError, match="'Diplomacy' is not an ACLED sub-event type"):
        train(["talks", "a clash"], ["Diplomacy", "Armed clash"])


def test_the_holdout_is_stratified_and_repeatable() -> None:
    labels = ["a"] * 10 + ["b"] * 5 + ["c"]
    fit, held = split_holdout(labels, 0.2, seed=0)
    assert sorted(fit + held) == list(range(16))
    assert [labels[i] for i in held].count("a") == 2
    assert [labels[i] for i in held].count("b") == 1
    assert "c" not in [labels[i] for i in held]  # a label seen once is only trained on
    assert split_holdout(labels, 0.2, seed=0) == (fit, held)
    assert split_holdout(labels, 0.2, seed=1) != (fit, held)
    assert split_holdout(labels, 0.0) == (list(range(16)), [])


def test_evaluation_counts_every_held_out_row() -> None:
    rows = read_training_data(NOTES)
    fit, held = split_holdout(rows.labels, 0.3, seed=0)
    m = train([rows.texts[i] for i in fit], [rows.labels[i] for i in fit])
    ev = evaluate(m, [rows.texts[i] for i in held], [rows.labels[i] for i in held])
    assert ev.rows == len(held) == 18
    assert sum(c.support for c in ev.per_class) == 18
    assert ev.accuracy >= 0.75  # six clearly different types
    assert 0.0 <= ev.weighted_f1 <= 1.0 and 0.0 <= ev.confident_share <= 1.0


# -- bad model files -----------------------------------------------------------------------------


def _mutated(model: TrainedModel, change: Callable[[dict[str, Any]], None]) -> str:
    data = model.to_json()
    change(data)
    return json.dumps(data)


BAD_FILES: list[tuple[str, Callable[[TrainedModel], str], list[str]]] = [
    ("not-json", lambda m: '{"format": "harbinger-event', ["not valid JSON", "line 1"]),
    ("not-a-model", lambda m: '{"weights": []}', ["not a Harbinger event classifier"]),
    (
        "wrong-version",
        lambda m: _mutated(m, lambda d: d.update(format_version=99)),
        ["model format version 99", "reads version 1", "harbinger train"],
    ),
    (
        "not-acled-label",
        lambda m: _mutated(m, lambda d: d["classes"].__setitem__(0, "DIPLO")),
        ["class 'DIPLO' is not an ACLED sub-event type", "retrain"],
    ),
    (
        "short-weights",
        lambda m: _mutated(m, lambda d: d["weights"].update(shape=[6, 3])),
        ["'weights' has shape [6, 3]", "harbinger train"],
    ),
    (
        "bad-base64",
        lambda m: _mutated(m, lambda d: d["intercepts"].update(base64="%%%")),
        ["'intercepts' is not valid base64"],
    ),
    (
        "unknown-analyzer",
        lambda m: _mutated(m, lambda d: d["features"][1].update(analyzer="callable")),
        ["'features[1].analyzer' is 'callable'"],
    ),
    (
        "no-temperature",
        lambda m: _mutated(m, lambda d: d.pop("temperature")),
        ["'temperature' is missing"],
    ),
    (
        "negative-temperature",
        lambda m: _mutated(m, lambda d: d.update(temperature=-1.0)),
        ["'temperature' is -1.0"],
    ),
]


@pytest.mark.parametrize(("name", "content", "says"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_model_file_is_a_model_error_naming_it(
    model: TrainedModel,
    tmp_path: Path,
    name: str,
    content: Callable[[TrainedModel], str],
    says: list[str],
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(content(model), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_model(path)
    message = str(info.value)
    assert str(path) in message
    for part in says:
        assert part in message


def test_a_missing_model_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        load_model(tmp_path / "none.json")
    message = str(info.value)
    assert f"model file {tmp_path / 'none.json'} does not exist" in message
    assert "harbinger train DATA.csv --out MODEL.json" in message
    with pytest.raises(ModelError, match="is a folder"):
        load_model(tmp_path)


def test_saving_into_a_missing_folder_is_a_model_error(model: TrainedModel, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="check that its folder exists"):
        model.save(tmp_path / "no" / "such" / "model.json")


# -- the train command ---------------------------------------------------------------------------


def test_train_writes_a_model_and_prints_the_scores(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = run("train", NOTES, "--out", out, "--test-size", "0.3", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "weighted F1" in result.stdout
    assert "Held-out scores (18 rows; trained on 42)" in result.stdout
    for label in ("Suicide bomb", "Arrests", "support"):
        assert label in result.stdout
    assert f"Model written to {out}: 60 row(s), 6 sub-event types" in result.stderr
    loaded = load_model(out)
    assert loaded.info["evaluation"]["rows"] == 18
    assert loaded.info["training_data"]["rows"] == 60  # the saved model learnt from every row
    assert loaded.settings.seed == 1


def test_train_lists_the_rows_it_skips(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = run("train", BAD_ROWS, "--out", out)
    assert result.exit_code == 0, result.output
    lines = error_lines(result)
    assert lines[0] == f"harbinger: skipped {BAD_ROWS}:3: empty text in column 'notes'"
    assert any(f"{BAD_ROWS}:4: 'Diplomacy'" in line for line in lines)
    assert any(f"{BAD_ROWS}:13: the row has 1" in line for line in lines)
    assert "6 row(s) skipped" in result.stderr
    assert out.exists()


def test_train_on_a_missing_file_exits_1_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = run("train", tmp_path / "absent.csv", "--out", out)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"Error: {tmp_path / 'absent.csv'}: no such file; check the path"
    ]
    assert not out.exists()


def test_train_with_a_wrong_column_exits_1(tmp_path: Path) -> None:
    result = run("train", NOTES, "--out", tmp_path / "m.json", "--label-column", "SubType")
    assert result.exit_code == 1
    assert "no column 'SubType'" in result.stderr and "--label-column" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "Missing argument"),
        ([str(NOTES)], "Missing option '--out'"),
        ([str(NOTES), "--out", "m.json", "--test-size", "1.5"], "--test-size"),
        ([str(NOTES), "--out", "m.json", "--seed", "x"], "--seed"),
    ],
    ids=["no-data", "no-out", "test-size", "seed"],
)
def test_train_usage_errors_exit_2(args: list[str], says: str) -> None:
    result = run("train", *args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr and says in result.stderr


# -- --model switches the typing -----------------------------------------------------------------


def _events(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    events: list[dict[str, Any]] = payload["documents"][0]["events"]
    assert events
    return events


def test_analyze_types_the_event_with_the_model_when_it_is_confident(
    model_files: dict[str, Path],
) -> None:
    patterns = _events(run("analyze", AIRSTRIKE, "--format", "json"))
    assert patterns[0]["sub_event_type"] == AIR
    # The model trained with swapped labels disagrees with the patterns, confidently: it decides.
    swapped = _events(
        run("analyze", "--model", model_files["swapped"], AIRSTRIKE, "--format", "json")
    )
    assert swapped[0]["sub_event_type"] == SHELLING
    assert swapped[0]["event_type"] == "Explosions/Remote violence"
    # The same model with no weights is never confident (1/6): the patterns decide.
    unsure = _events(
        run("analyze", "--model", model_files["unsure"], AIRSTRIKE, "--format", "json")
    )
    assert unsure[0]["sub_event_type"] == AIR
    # The model trained on the true labels agrees with the patterns.
    agreed = _events(run("analyze", "--model", model_files["notes"], AIRSTRIKE, "--format", "json"))
    assert agreed[0]["sub_event_type"] == AIR


def test_analyze_with_a_missing_model_exits_1_with_one_line(tmp_path: Path) -> None:
    result = run("analyze", "--model", tmp_path / "none.json", AIRSTRIKE, "--format", "json")
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: model file {tmp_path / 'none.json'} does not exist")
    assert result.stdout == ""


def test_ingest_stores_the_model_s_type(model_files: dict[str, Path], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    result = run("ingest", AIRSTRIKE, "--db", url, "--model", model_files["swapped"])
    assert result.exit_code == 0, result.output
    store = Store(url)
    try:
        assert [e.sub_event_type for e in store.events()] == [SHELLING]
    finally:
        store.close()


def test_the_coder_loads_the_model_of_its_settings(model_files: dict[str, Path]) -> None:
    coder = Coder(Settings(model_path=str(model_files["notes"])))
    assert isinstance(coder.events.classifier, TrainedModel)
    assert Coder(Settings()).events.classifier is None


def test_the_snippet_classifier_follows_a_confident_model(model_files: dict[str, Path]) -> None:
    swapped = SnippetClassifier(Coder(Settings(model_path=str(model_files["swapped"]))))
    unsure = SnippetClassifier(Coder(Settings(model_path=str(model_files["unsure"]))))
    label = swapped.classify(HAMRIN)
    assert label.sub_event_type == SHELLING and label.confidence >= CONFIDENT
    assert label.case_label == "ART_MISS_ATTACK"
    assert unsure.classify(HAMRIN).sub_event_type == AIR
