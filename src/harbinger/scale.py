"""The Dask engine: the per-document coding mapped over a Dask distributed cluster.

One machine codes with :class:`harbinger.extract.Coder` in one process. When that is not enough,
:class:`DaskCoder` runs the same coder on the workers of a Dask distributed cluster (an existing
scheduler by address, or a ``LocalCluster`` of worker processes with one thread each) and gives
back the coded documents *in input order*, so that the client can write them to the store as the
local engine does. Each worker builds one ``Coder`` (knowledge, gazetteer, spaCy pipeline) once,
in a worker plugin, when the engine starts. The client reads documents from a generator and sends
them in batches of ``Settings.batch_size`` (the batches the local engine hands to ``nlp.pipe``, so
the parser sees the same sentences in the same groups and the output is identical), with at most
a few batches in flight per worker: memory stays bounded whatever the size of the input. No queue,
scheduler or cluster of our own: Dask does the distribution.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin

from harbinger.errors import ClusterError, HarbingerError
from harbinger.records import CodedDocument, Document
from harbinger.settings import Settings

if TYPE_CHECKING:
    from harbinger.extract import Coder

__all__ = ["ClusterError", "CoderPlugin", "DaskCoder", "code_batch", "plugin_name"]

#: Batches in flight per worker: one being coded, one queued so that no worker waits for the
#: client between batches.
IN_FLIGHT_PER_WORKER = 2
#: How long to wait for a scheduler given by address (a Dask time string).
CONNECT_TIMEOUT = "20s"


def _coder_settings(settings: Settings) -> Settings:
    # Workers need what the coder reads, never the database URL (it may hold a password).
    return replace(settings, db_url="")


def plugin_name(settings: Settings) -> str:
    """The name of the worker plugin that holds the coder for these settings.

    Different settings (another spaCy model, theatre or trained classifier) get another plugin,
    so two clients with different settings can share one cluster.
    """
    key = repr(_coder_settings(settings))
    return "harbinger-coder-" + hashlib.sha256(key.encode()).hexdigest()[:16]


class CoderPlugin(WorkerPlugin):
    """A Dask worker plugin that builds one ``Coder`` per worker, spaCy pipeline included.

    The coder is built off the worker's event loop (it takes seconds: the pipeline, the
    gazetteer), so the worker keeps answering the scheduler meanwhile. A failure (an uninstalled
    spaCy model, a missing classifier file) is raised at registration, in the client.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = _coder_settings(settings)
        self.name = plugin_name(settings)
        self.coder: Coder | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Only the settings travel; the coder is built where it runs.
        return {"settings": self.settings, "name": self.name, "coder": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    async def setup(self, worker: Any) -> None:
        self.coder = await asyncio.to_thread(_build_coder, self.settings)


#: A short report coded once by each worker as it starts, so that what loads on first use
#: (the spaCy pipeline, the date parser's language data) is loaded before the first batch.
WARM_UP_TEXT = (
    "Warm-up\n\n2019-08-11\n\nIraqi forces said on Sunday that an air strike killed three "
    "Islamic State militants near Mosul."
)


def _build_coder(settings: Settings) -> Coder:
    from harbinger.extract import Coder
    from harbinger.ingest.text import parse_text

    coder = Coder(settings)
    list(coder.code_many([parse_text(WARM_UP_TEXT, "harbinger:warm-up")]))
    return coder


def code_batch(documents: Sequence[Document], name: str) -> list[CodedDocument]:
    """Code a batch of documents with the worker's coder (this runs on a Dask worker)."""
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins.get(name)
    coder = getattr(plugin, "coder", None)
    if coder is None:
        raise ClusterError(
            f"worker {worker.address} has no Harbinger coder (plugin {name} is not set up); "
            "restart the workers, or check that harbinger is installed on them"
        )
    try:
        return list(coder.code_many(documents))
    except HarbingerError as exc:
        # Re-raised as a ClusterError, which pickles (some HarbingerErrors take several
        # arguments) and says where it happened.
        first = documents[0].source if documents else "?"
        raise ClusterError(
            f"coding the batch of {len(documents)} document(s) from {first} failed on worker "
            f"{worker.address}: {exc}"
        ) from None


class DaskCoder:
    """Codes documents on a Dask cluster; a drop-in for ``Coder.code_many``.

    ``scheduler`` is the address of a running scheduler (``tcp://HOST:8786``); without one, a
    ``LocalCluster`` of ``workers`` processes (default: the number of CPUs), one thread each, is
    started and stopped with this object. The workers must have Harbinger and the same spaCy
    model installed. Use as a context manager, or call :meth:`close`.

    Example::

        with DaskCoder(settings, workers=2) as coder:
            for coded in coder.code_many(documents):
                store.save(coded)
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        in_flight_per_worker: int = IN_FLIGHT_PER_WORKER,
        connect_timeout: str = CONNECT_TIMEOUT,
    ) -> None:
        if scheduler is not None and workers is not None:
            raise ValueError("give a scheduler address or a number of workers, not both")
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        if in_flight_per_worker < 1:
            raise ValueError(f"in_flight_per_worker must be at least 1, got {in_flight_per_worker}")
        self.settings = settings or Settings()
        self.scheduler = scheduler
        self._in_flight_per_worker = in_flight_per_worker
        self._connect_timeout = connect_timeout
        self._name = plugin_name(self.settings)
        # distributed's Client and LocalCluster are only partly typed: held as Any.
        self._cluster: Any = None
        self._client: Any = None
        try:
            self._client = self._connect(scheduler, workers)
            self._client.register_plugin(CoderPlugin(self.settings), name=self._name)
        except HarbingerError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise ClusterError(
                f"cannot start the Harbinger coder on the Dask workers: {exc}"
            ) from exc

    def _connect(self, scheduler: str | None, workers: int | None) -> Any:
        import distributed

        # Held as Any: distributed's constructors are untyped.
        client_cls: Any = distributed.Client
        cluster_cls: Any = distributed.LocalCluster
        if scheduler is not None:
            try:
                return client_cls(scheduler, timeout=self._connect_timeout)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {scheduler}: {exc}; start one with "
                    "'dask scheduler' and workers with 'dask worker "
                    f"{scheduler} --nthreads 1', or leave out --scheduler to use this machine"
                ) from exc
        n = workers or os.cpu_count() or 1
        try:
            self._cluster = cluster_cls(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # no dashboard port to collide with
                silence_logs=logging.ERROR,
            )
        except Exception as exc:
            raise ClusterError(
                f"cannot start a local Dask cluster of {n} worker(s): {exc}"
            ) from exc
        return client_cls(self._cluster)

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` of this engine."""
        if self._client is None:
            raise ClusterError("this DaskCoder is closed; make a new one")
        return self._client

    @property
    def workers(self) -> int:
        """The number of workers the scheduler knows now."""
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def __enter__(self) -> DaskCoder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this object started one."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def code_many(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Coded documents in the order of ``documents``, coded on the cluster's workers.

        ``documents`` is read lazily: at most ``in_flight_per_worker`` batches per worker are
        sent ahead of the one the caller is waiting for.
        """
        client = self.client
        limit = max(1, self.workers) * self._in_flight_per_worker
        pending: deque[Any] = deque()  # distributed.Future
        try:
            for batch in _batches(documents, self.settings.batch_size):
                pending.append(client.submit(code_batch, batch, self._name, pure=False))
                if len(pending) >= limit:
                    yield from self._result(pending.popleft())
            while pending:
                yield from self._result(pending.popleft())
        finally:
            # The caller stopped early (or a batch failed): drop what is still queued.
            if pending and self._client is not None:
                self._client.cancel(list(pending))

    @staticmethod
    def _result(future: Any) -> list[CodedDocument]:
        try:
            coded: list[CodedDocument] = future.result()
        except HarbingerError:
            raise
        except Exception as exc:
            raise ClusterError(
                f"a batch of documents could not be coded on the Dask cluster: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        finally:
            future.release()
        return coded


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
