"""A trained event-type classifier: an analyst's own coded notes in, ACLED sub-event types out.

Harbinger types events with patterns out of the box. An analyst who has coded data (an ACLED
export's ``notes`` and ``sub_event_type`` columns, say) trains a classifier on it with
``harbinger train`` and switches it on with ``--model PATH``; where the model is confident
(probability >= ``CONFIDENT``) its label decides, elsewhere the patterns do. The model is TF-IDF
features (word 1-2 grams and character 3-5 grams within words) under a linear SVM, whose scores
become probabilities through one temperature fitted on cross-validated scores (so that 0.5 means
about what it says). A model file is JSON, never pickle: it is untrusted input when loaded, so the
loader rebuilds the vectorizers from fixed parameters plus the stored vocabulary and idf, checks
every field, and raises ``ModelError`` naming the file and the way to fix it. Numeric arrays are
stored as little-endian base64 with their dtype and shape, which keeps them exact and compact.
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
import hashlib
import json
import math
import os
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from harbinger.errors import EmptyInput, EncodingError, InputError, ModelError, UnreadableInput
from harbinger.records import Skipped
from harbinger.taxonomy import taxonomy

__all__ = [
    "CONFIDENT",
    "FORMAT",
    "FORMAT_VERSION",
    "ClassScore",
    "Evaluation",
    "TrainSettings",
    "TrainedModel",
    "TrainingData",
    "evaluate",
    "load_model",
    "normalise_label",
    "read_training_data",
    "split_holdout",
    "train",
]

#: The model's label decides when its probability is at least this; below it the patterns do.
CONFIDENT = 0.5
FORMAT = "harbinger-event-classifier"
FORMAT_VERSION = 1
_ANALYZERS = ("word", "char_wb")
_DTYPES: dict[str, np.dtype[Any]] = {"<f4": np.dtype("<f4"), "<f8": np.dtype("<f8")}
_RETRAIN = "train a new one with 'harbinger train DATA.csv --out MODEL.json'"


@dataclass(frozen=True, slots=True)
class TrainSettings:
    """How a model is trained (stored in the model file)."""

    #: Word n-gram range of the first TF-IDF block.
    word_ngrams: tuple[int, int] = (1, 2)
    #: Character n-gram range (within word boundaries) of the second block.
    char_ngrams: tuple[int, int] = (3, 5)
    #: The most frequent n-grams kept per block; bounds the size of the model file.
    max_word_features: int = 20_000
    max_char_features: int = 50_000
    #: An n-gram must occur in at least this many texts.
    min_df: int = 1
    #: Inverse regularisation strength of the linear SVM.
    c: float = 1.0
    #: Folds of the cross-validation whose scores fit the probability temperature.
    calibration_folds: int = 3
    #: Seed of every random choice (folds, the solver), so that training is repeatable.
    seed: int = 0


@dataclass(frozen=True, slots=True)
class TrainingData:
    """The usable rows of a training file and the rows skipped, each with its line and reason."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    #: The line each usable row starts on (the header is line 1).
    lines: tuple[int, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True)
class ClassScore:
    """Held-out scores of one sub-event type."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Held-out scores of a model."""

    rows: int
    accuracy: float
    weighted_f1: float
    macro_f1: float
    #: Share of rows the model is confident about (probability >= CONFIDENT), where it decides.
    confident_share: float
    #: Accuracy on those rows (None when there are none).
    confident_accuracy: float | None
    per_class: tuple[ClassScore, ...] = field(default_factory=tuple)


class _Block:
    """One TF-IDF block: its parameters, vocabulary (in column order) and the vectorizer."""

    def __init__(
        self, analyzer: str, ngrams: tuple[int, int], vocabulary: list[str], idf: NDArray[Any]
    ) -> None:
        self.analyzer = analyzer
        self.ngrams = ngrams
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        # Fixed parameters (those of _vectorizer) plus the stored vocabulary and idf: nothing
        # else of the file reaches scikit-learn.
        self.vectorizer = _vectorizer(analyzer, ngrams)
        self.vectorizer.set_params(vocabulary={t: i for i, t in enumerate(vocabulary)})
        self.vectorizer.idf_ = self.idf

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def to_json(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngrams),
            "vocabulary": self.vocabulary,
            "idf": _encode(self.idf, "<f8"),
        }


def _vectorizer(analyzer: str, ngrams: tuple[int, int], **fit: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        lowercase=True,
        sublinear_tf=True,
        norm="l2",
        dtype=np.float64,
        **fit,
    )


class TrainedModel:
    """A trained classifier: ``predict_one(text) -> (sub-event type, probability)``."""

    def __init__(
        self,
        classes: Sequence[str],
        blocks: Sequence[_Block],
        weights: NDArray[Any],
        intercepts: NDArray[Any],
        temperature: float,
        settings: TrainSettings,
        info: Mapping[str, Any],
    ) -> None:
        self.classes = tuple(classes)
        self.blocks = tuple(blocks)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.intercepts = np.asarray(intercepts, dtype=np.float64)
        self.temperature = float(temperature)
        self.settings = settings
        #: Provenance: created, harbinger_version, training_data (rows, sha256, labels),
        #: evaluation (held-out scores, when measured).
        self.info: dict[str, Any] = dict(info)

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """One row per text, one column per class (``classes``), each row summing to 1."""
        scores = np.tile(self.intercepts, (len(texts), 1))
        offset = 0
        for block in self.blocks:
            x = block.vectorizer.transform(list(texts))
            scores += np.asarray(x @ self.weights[:, offset : offset + block.size].T)
            offset += block.size
        return _softmax(scores / self.temperature)

    def predict_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """The most probable sub-event type of each text, with its probability."""
        if not texts:
            return []
        probs = self.probabilities(texts)
        best = probs.argmax(axis=1)
        return [(self.classes[int(i)], float(probs[n, i])) for n, i in enumerate(best)]

    def predict_one(self, text: str) -> tuple[str, float]:
        """The most probable sub-event type of one text, with its probability."""
        return self.predict_many([text])[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            **self.info,
            "settings": asdict(self.settings),
            "classes": list(self.classes),
            "features": [b.to_json() for b in self.blocks],
            # Float32 halves the file; the weights were rounded to it when trained, so a loaded
            # model computes exactly what the trained one did.
            "weights": _encode(self.weights, "<f4"),
            "intercepts": _encode(self.intercepts, "<f8"),
            "temperature": self.temperature,
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model as JSON (through a temporary file, so a failed write leaves no half)."""
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ModelError(
                f"cannot write the model to {target}: {exc.strerror}; "
                "check that its folder exists and is writable"
            ) from exc


# -- labels and training data --------------------------------------------------------------------


def normalise_label(value: str) -> str | None:
    """ACLED's spelling of a sub-event type given in any letter case or as its CASE 2021 label
    ("ARMED_CLASH" -> "Armed clash"); None when it is neither."""
    tax = taxonomy()
    found = tax.find(value)
    if found is not None:
        return found.name
    wanted = value.strip().upper()
    return next((s.name for s in tax.sub_event_types if s.case_label == wanted), None)


def read_training_data(
    path: str | os.PathLike[str],
    *,
    text_column: str = "notes",
    label_column: str = "sub_event_type",
) -> TrainingData:
    """The rows of a CSV (a ``.tsv`` file is read tab-separated) with a header, e.g. an ACLED
    export; rows with an empty text or a label that is not an ACLED sub-event type are skipped and
    listed with their line and the reason."""
    p = Path(path)
    source = str(p)
    if not p.exists():
        raise UnreadableInput(source, "no such file; check the path")
    if not p.is_file():
        raise UnreadableInput(source, "not a file; give the CSV file itself")
    delimiter = "\t" if p.suffix.lower() in (".tsv", ".tab") else ","
    texts: list[str] = []
    labels: list[str] = []
    lines: list[int] = []
    skipped: list[Skipped] = []
    try:
        # utf-8-sig: spreadsheet programs put a byte-order mark before the header.
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            if header is None or not any(h.strip() for h in header):
                raise EmptyInput(source, "no header line; the first line must name the columns")
            names = [h.strip() for h in header]
            columns = []
            for wanted, option in (
                (text_column, "--text-column"),
                (label_column, "--label-column"),
            ):
                if wanted not in names:
                    raise InputError(
                        source,
                        f"no column {wanted!r} in the header (columns: {', '.join(names)}); "
                        f"name the right one with {option}",
                        line=1,
                    )
                columns.append(names.index(wanted))
            ti, li = columns
            start = reader.line_num + 1
            for row in reader:
                line, start = start, reader.line_num + 1
                if not row or not any(cell.strip() for cell in row):
                    continue  # a blank line
                if len(row) <= max(ti, li):
                    skipped.append(
                        Skipped(
                            source,
                            f"the row has {len(row)} of the header's {len(names)} fields",
                            line,
                        )
                    )
                    continue
                text, raw = row[ti].strip(), row[li].strip()
                if not text:
                    skipped.append(Skipped(source, f"empty text in column {text_column!r}", line))
                    continue
                if not raw:
                    skipped.append(Skipped(source, f"empty label in column {label_column!r}", line))
                    continue
                label = normalise_label(raw)
                if label is None:
                    skipped.append(
                        Skipped(
                            source,
                            f"{raw!r} is not an ACLED sub-event type (nor the CASE label of one); "
                            "use ACLED's names, e.g. 'Armed clash'",
                            line,
                        )
                    )
                    continue
                texts.append(text)
                labels.append(label)
                lines.append(line)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            source, f"not UTF-8 (byte {exc.start}); save the file as UTF-8 and try again"
        ) from exc
    except csv.Error as exc:
        raise InputError(source, f"not a readable CSV ({exc})", line=reader.line_num) from exc
    except OSError as exc:
        raise UnreadableInput(source, f"cannot be read ({exc.strerror})") from exc
    return TrainingData(tuple(texts), tuple(labels), tuple(lines), tuple(skipped))


def split_holdout(
    labels: Sequence[str], test_size: float, seed: int = 0
) -> tuple[list[int], list[int]]:
    """Indices of a training part and a held-out part, stratified by label and repeatable.

    Each label gives ``round(n * test_size)`` of its n rows to the held-out part but keeps at
    least one for training (a label seen once is only trained on).
    """
    if not 0.0 <= test_size < 1.0:
        raise ValueError(f"test_size must be in [0, 1), not {test_size}")
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    train_idx: list[int] = []
    test_idx: list[int] = []
    for label in sorted(by_label):
        rows = by_label[label]
        rng.shuffle(rows)
        n_test = min(round(len(rows) * test_size), len(rows) - 1)
        test_idx += rows[:n_test]
        train_idx += rows[n_test:]
    return sorted(train_idx), sorted(test_idx)


# -- training ------------------------------------------------------------------------------------


def train(
    texts: Iterable[str],
    labels: Iterable[str],
    *,
    settings: TrainSettings | None = None,
    source: str = "training data",
) -> TrainedModel:
    """Train a classifier on texts and their ACLED sub-event types (any letter case, or CASE
    labels). ``source`` names the data in error messages."""
    from scipy import sparse

    s = settings or TrainSettings()
    xs = list(texts)
    raw = list(labels)
    if len(xs) != len(raw):
        raise InputError(source, f"{len(xs)} texts but {len(raw)} labels; give one label a text")
    ys: list[str] = []
    for i, value in enumerate(raw):
        label = normalise_label(value)
        if label is None:
            raise InputError(source, f"row {i + 1}: {value!r} is not an ACLED sub-event type")
        ys.append(label)
    classes = sorted(set(ys))
    if len(classes) < 2:
        raise InputError(
            source,
            f"{len(xs)} usable rows but {len(classes)} sub-event type(s); a classifier needs "
            "examples of at least two",
        )
    word = _vectorizer("word", s.word_ngrams, max_features=s.max_word_features, min_df=s.min_df)
    char = _vectorizer("char_wb", s.char_ngrams, max_features=s.max_char_features, min_df=s.min_df)
    try:
        x = sparse.hstack([word.fit_transform(xs), char.fit_transform(xs)]).tocsr()
    except ValueError as exc:  # an empty vocabulary, or min_df above the number of texts
        raise InputError(source, f"no features could be built ({exc})") from exc
    y = np.array([classes.index(v) for v in ys])
    weights, intercepts = _fit_linear(x, y, len(classes), s)
    # Rounded to float32 now, as saved: the trained and the loaded model compute the same thing.
    weights = weights.astype(np.float32).astype(np.float64)
    temperature = _temperature(x, y, len(classes), s)
    blocks = [
        _Block(name, ngrams, _vocabulary(vec), vec.idf_)
        for name, ngrams, vec in (("word", s.word_ngrams, word), ("char_wb", s.char_ngrams, char))
    ]
    digest = hashlib.sha256(
        json.dumps(list(zip(xs, ys, strict=True)), ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    from harbinger import __version__

    info = {
        "harbinger_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "training_data": {
            "rows": len(xs),
            "sha256": digest,
            "labels": dict(sorted(Counter(ys).items())),
        },
        "evaluation": None,
    }
    return TrainedModel(classes, blocks, weights, intercepts, temperature, s, info)


def _vocabulary(vectorizer: Any) -> list[str]:
    vocab: dict[str, int] = vectorizer.vocabulary_
    terms = [""] * len(vocab)
    for term, i in vocab.items():
        terms[i] = term
    return terms


def _svm(s: TrainSettings) -> Any:
    from sklearn.svm import LinearSVC

    return LinearSVC(C=s.c, random_state=s.seed, max_iter=5000)


def _fit_linear(
    x: Any, y: NDArray[Any], n_classes: int, s: TrainSettings
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Weights (classes x features) and intercepts of a linear SVM, one row per class."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    svm = _svm(s)
    with warnings.catch_warnings():
        # A few classes not quite separated after max_iter still score well; not worth a warning.
        warnings.simplefilter("ignore", ConvergenceWarning)
        svm.fit(x, y)
    coef = np.asarray(svm.coef_, dtype=np.float64)
    intercept = np.asarray(svm.intercept_, dtype=np.float64)
    present = [int(c) for c in svm.classes_]
    if len(present) == 2:
        # Two classes: one score d for the second; scores (-d/2, d/2) make the softmax a sigmoid.
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    weights = np.zeros((n_classes, x.shape[1]))
    intercepts = np.full(n_classes, -np.inf)
    weights[present] = coef
    intercepts[present] = intercept
    return weights, intercepts


def _temperature(x: Any, y: NDArray[Any], n_classes: int, s: TrainSettings) -> float:
    """The temperature that makes softmax(scores / T) fit held-out labels best (least log loss),
    on the scores of models trained on the other folds."""
    from scipy.optimize import minimize_scalar

    folds = np.zeros(len(y), dtype=int)
    rng = random.Random(s.seed)
    for c in range(n_classes):
        rows = [int(i) for i in np.flatnonzero(y == c)]
        rng.shuffle(rows)
        for n, i in enumerate(rows):
            folds[i] = n % max(s.calibration_folds, 2)
    scores: list[NDArray[np.float64]] = []
    truth: list[int] = []
    for f in range(max(s.calibration_folds, 2)):
        fit, held = folds != f, folds == f
        if len(set(y[fit].tolist())) < 2 or not held.any():
            continue
        w, b = _fit_linear(x[fit], y[fit], n_classes, s)
        d = np.asarray(x[held] @ w.T) + b
        known = np.isfinite(b)
        # A class missing from the fold's training part cannot be scored: those rows are left out.
        keep = known[y[held]]
        scores.append(d[keep])
        truth += y[held][keep].tolist()
    if not truth:
        return 1.0
    d_all = np.vstack(scores)
    t_all = np.array(truth)

    def loss(log_t: float) -> float:
        logp = _log_softmax(d_all / math.exp(log_t))
        return float(-logp[np.arange(len(t_all)), t_all].mean())

    result = minimize_scalar(loss, bounds=(-7.0, 3.0), method="bounded")
    return float(math.exp(float(result.x)))


def _log_softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    top = z.max(axis=1, keepdims=True)
    shifted = z - top
    with np.errstate(divide="ignore"):
        out: NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return out


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def evaluate(model: TrainedModel, texts: Sequence[str], labels: Sequence[str]) -> Evaluation:
    """Scores of a model on held-out texts and their (ACLED) labels."""
    from sklearn.metrics import (
        accuracy_score,
        f1_score,
        precision_recall_fscore_support,
    )

    gold = [normalise_label(v) or v for v in labels]
    if not gold:
        raise ValueError("evaluate() needs at least one held-out text")
    predicted = model.predict_many(texts)
    pred = [p for p, _ in predicted]
    names = sorted(set(gold) | set(pred))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, pred, labels=names, zero_division=0
    )
    per_class = sorted(
        (
            ClassScore(n, float(p), float(r), float(f), int(k))
            for n, p, r, f, k in zip(names, precision, recall, f1, support, strict=True)
        ),
        key=lambda c: (-c.support, c.label),
    )
    confident = [
        (p == g) for (p, prob), g in zip(predicted, gold, strict=True) if prob >= CONFIDENT
    ]
    return Evaluation(
        rows=len(gold),
        accuracy=float(accuracy_score(gold, pred)),
        weighted_f1=float(f1_score(gold, pred, average="weighted", zero_division=0)),
        macro_f1=float(f1_score(gold, pred, average="macro", labels=names, zero_division=0)),
        confident_share=len(confident) / len(gold) if gold else 0.0,
        confident_accuracy=sum(confident) / len(confident) if confident else None,
        per_class=tuple(per_class),
    )


# -- the model file ------------------------------------------------------------------------------


def _encode(a: NDArray[Any], dtype: str) -> dict[str, Any]:
    data = np.ascontiguousarray(a, dtype=_DTYPES[dtype]).tobytes()
    return {"dtype": dtype, "shape": list(a.shape), "base64": base64.b64encode(data).decode()}


class _Reader:
    """Checks the fields of a model file; every failure names the file and the field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, problem: str) -> ModelError:
        return ModelError(
            f"{self.path}: {problem}; the file is damaged or not a Harbinger model: {_RETRAIN}"
        )

    def get(
        self, obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str
    ) -> Any:
        if key not in obj:
            raise self.fail(f"'{where}{key}' is missing")
        value = obj[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(f"'{where}{key}' has the wrong type ({type(value).__name__})")
        return value

    def array(self, obj: Any, where: str, shape: tuple[int, ...]) -> NDArray[np.float64]:
        if not isinstance(obj, dict):
            raise self.fail(f"'{where}' is not an encoded array")
        dtype = obj.get("dtype")
        if dtype not in _DTYPES:
            raise self.fail(f"'{where}' has dtype {dtype!r}, not one of {sorted(_DTYPES)}")
        if obj.get("shape") != list(shape):
            raise self.fail(f"'{where}' has shape {obj.get('shape')!r}, expected {list(shape)}")
        try:
            raw = base64.b64decode(str(obj.get("base64", "")), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self.fail(f"'{where}' is not valid base64") from exc
        itemsize = _DTYPES[dtype].itemsize
        if len(raw) != math.prod(shape) * itemsize:
            raise self.fail(f"'{where}' holds {len(raw)} bytes, not {math.prod(shape) * itemsize}")
        out: NDArray[np.float64] = (
            np.frombuffer(raw, dtype=_DTYPES[dtype]).reshape(shape).astype(np.float64)
        )
        return out

    def ngrams(self, value: Any, where: str) -> tuple[int, int]:
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 1 <= value[0] <= value[1] <= 10
        )
        if not ok:
            raise self.fail(f"'{where}' is {value!r}, not two integers 1 <= lo <= hi <= 10")
        return int(value[0]), int(value[1])


def load_model(path: str | os.PathLike[str]) -> TrainedModel:
    """Read and check a model file written by ``TrainedModel.save`` (``harbinger train``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelError(f"model file {p} does not exist; check the path, or {_RETRAIN}") from exc
    except IsADirectoryError as exc:
        raise ModelError(f"model file {p} is a folder; give the model's JSON file") from exc
    except UnicodeDecodeError as exc:
        raise ModelError(f"{p}: not a text file, so not a Harbinger model; {_RETRAIN}") from exc
    except OSError as exc:
        raise ModelError(f"model file {p} cannot be read ({exc.strerror})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(
            f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"the file is damaged or not a Harbinger model: {_RETRAIN}"
        ) from exc
    r = _Reader(p)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(
            f'{p}: not a Harbinger event classifier (no "format": "{FORMAT}"); {_RETRAIN}'
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(
            f"{p}: model format version {version!r}, but this Harbinger reads version "
            f"{FORMAT_VERSION}; {_RETRAIN} (or use the Harbinger version that wrote it)"
        )

    classes_raw = r.get(data, "classes", list, "")
    classes: list[str] = []
    for value in classes_raw:
        label = normalise_label(value) if isinstance(value, str) else None
        if label is None:
            raise ModelError(
                f"{p}: class {value!r} is not an ACLED sub-event type; retrain the model on "
                "data labelled with ACLED's sub-event types (e.g. 'Armed clash')"
            )
        classes.append(label)
    if len(classes) < 2 or len(set(classes)) != len(classes):
        raise r.fail("'classes' must list at least two different sub-event types")

    blocks: list[_Block] = []
    for i, b in enumerate(r.get(data, "features", list, "")):
        where = f"features[{i}]."
        if not isinstance(b, dict):
            raise r.fail(f"'features[{i}]' is not an object")
        analyzer = r.get(b, "analyzer", str, where)
        if analyzer not in _ANALYZERS:
            raise r.fail(f"'{where}analyzer' is {analyzer!r}, not one of {list(_ANALYZERS)}")
        ngrams = r.ngrams(b.get("ngram_range"), f"{where}ngram_range")
        vocabulary = r.get(b, "vocabulary", list, where)
        if not all(isinstance(t, str) for t in vocabulary) or len(set(vocabulary)) != len(
            vocabulary
        ):
            raise r.fail(f"'{where}vocabulary' must be distinct strings")
        idf = r.array(b.get("idf"), f"{where}idf", (len(vocabulary),))
        if not np.all(np.isfinite(idf)) or np.any(idf < 1.0):
            raise r.fail(f"'{where}idf' must hold finite values >= 1")
        blocks.append(_Block(analyzer, ngrams, vocabulary, idf))
    if not blocks:
        raise r.fail("'features' is empty")

    n_features = sum(b.size for b in blocks)
    weights = r.array(data.get("weights"), "weights", (len(classes), n_features))
    intercepts = r.array(data.get("intercepts"), "intercepts", (len(classes),))
    if not np.all(np.isfinite(weights)):
        raise r.fail("'weights' must be finite")
    if (
        np.any(np.isnan(intercepts))
        or np.any(intercepts == np.inf)
        or not np.isfinite(intercepts).any()
    ):
        raise r.fail("'intercepts' must be finite (or -Infinity for a class never predicted)")
    temperature = r.get(data, "temperature", (int, float), "")
    if not math.isfinite(temperature) or temperature <= 0:
        raise r.fail(f"'temperature' is {temperature!r}, not a positive number")

    settings = _settings(r, data.get("settings"))
    info = {k: data.get(k) for k in ("harbinger_version", "created", "training_data", "evaluation")}
    return TrainedModel(classes, blocks, weights, intercepts, temperature, settings, info)


def _settings(r: _Reader, raw: Any) -> TrainSettings:
    """The training settings of a file (for the record: prediction does not depend on them)."""
    if not isinstance(raw, dict):
        raise r.fail("'settings' is missing")
    defaults = TrainSettings()
    try:
        return TrainSettings(
            word_ngrams=r.ngrams(raw.get("word_ngrams"), "settings.word_ngrams"),
            char_ngrams=r.ngrams(raw.get("char_ngrams"), "settings.char_ngrams"),
            max_word_features=int(raw.get("max_word_features", defaults.max_word_features)),
            max_char_features=int(raw.get("max_char_features", defaults.max_char_features)),
            min_df=int(raw.get("min_df", defaults.min_df)),
            c=float(raw.get("c", defaults.c)),
            calibration_folds=int(raw.get("calibration_folds", defaults.calibration_folds)),
            seed=int(raw.get("seed", defaults.seed)),
        )
    except (TypeError, ValueError) as exc:
        raise r.fail(f"'settings' holds a value of the wrong type ({exc})") from exc
