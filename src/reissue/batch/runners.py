"""Runners: send each task to :func:`worker.build_issue` and hand each summary back as it comes.

* ``serial``: an in-process loop (no extra dependency);
* ``processes``: a pool of N plain worker processes on this machine (``concurrent.futures``);
* ``local``: a ``dask.distributed.LocalCluster`` of N worker processes, one thread each;
* ``tcp://host:8786`` (or any Dask address): an existing scheduler and its workers.

Every runner calls ``on_done(i, summary)`` in the driver for each task ``i`` and never raises for one
issue: a dead worker becomes that issue's failure. At most :data:`IN_FLIGHT_PER_WORKER` tasks per
worker are submitted ahead, so the scheduler holds a window of the collection, not all of it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Callable

from ..errors import ReissueError, UsageError
from . import worker

CONNECT_TIMEOUT = 10  # seconds to reach an existing Dask scheduler
WORKERS_TIMEOUT = 30  # seconds to wait for its first worker
IN_FLIGHT_PER_WORKER = 4
SCHEDULERS = ("auto", "serial", "processes", "local")
# Dask's statistical profiler samples the running task's stack every 10 ms and keeps one profile tree
# per second for the last 1,000 s (``distributed.admin.low-level-log-length``): building issues, a
# worker's memory grew with its running time (+17% from 2,500 to 10,000 pages) and the sampling costs
# CPU. reissue's workers run without it (for an existing cluster: DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False
# where the workers are started, see README).
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}

OnDone = Callable[[int, dict], None]


class ClusterStartError(ReissueError):
    """A Dask LocalCluster could not be started (before any issue was sent to it)."""

    exit_code = 1


def have_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except Exception:  # ImportError, or a broken installation
        return False
    return True


def check_scheduler(scheduler: str) -> str:
    s = scheduler.strip()
    if s in SCHEDULERS:
        return s
    if re.match(r"^(tcp|tls|ws|wss|ucx|inproc)://\S+$", s) or re.match(r"^[\w.\-\[\]:]+:\d+$", s):
        return s
    raise UsageError(f"unknown scheduler {scheduler!r}",
                     hint="use serial, processes, local, or the address of a running Dask scheduler such as tcp://host:8786")


def run_serial(tasks: list[dict], on_done: OnDone) -> None:
    for i, t in enumerate(tasks):
        on_done(i, worker.build_issue(t))


def run_processes(tasks: list[dict], on_done: OnDone, *, workers: int, info: dict) -> None:
    """N plain worker processes on this machine, no Dask. A worker that dies fails the issues that
    were in flight with it (the pool cannot tell which one killed it); the others go on in a new pool."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    t0 = time.perf_counter()
    todo = list(range(len(tasks)))
    todo.reverse()
    info["dask_workers"] = workers
    while todo:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            info.setdefault("startup_seconds", round(time.perf_counter() - t0, 3))
            running: dict = {}
            broken = False
            while (todo or running) and not broken:
                while todo and len(running) < workers * IN_FLIGHT_PER_WORKER:
                    i = todo.pop()
                    running[pool.submit(worker.build_issue, tasks[i])] = i
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for f in done:
                    i = running.pop(f)
                    try:
                        summary = f.result()
                    except BrokenProcessPool as exc:
                        broken = True
                        summary = worker.failed_summary(tasks[i], exc, "the worker failed on this issue: ")
                    on_done(i, summary)
            for f, i in running.items():  # a broken pool: what was in flight failed with it
                on_done(i, worker.failed_summary(tasks[i], RuntimeError("a worker process died"),
                                                 "the worker failed on this issue: "))


def run_dask(tasks: list[dict], on_done: OnDone, *, scheduler: str, workers: int, info: dict) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise UsageError(f"--scheduler {scheduler} needs Dask ({exc})",
                         hint="pip install 'reissue[dask]', or use --scheduler serial") from exc
    cluster = None
    t0 = time.perf_counter()
    if scheduler == "local":
        try:
            import dask

            with dask.config.set(LOCAL_WORKER_CONFIG):  # the nannies hand it to their workers
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        except Exception as exc:  # e.g. worker processes cannot be spawned from this __main__
            if cluster is not None:
                cluster.close()
            raise ClusterStartError(f"cannot start a Dask LocalCluster ({worker.one_line(exc)})",
                                    hint="use --scheduler serial") from exc
    else:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({worker.one_line(exc)})",
                             hint="start it with `dask scheduler` and `dask worker ADDRESS`, or use --scheduler local") from exc
    try:
        if scheduler != "local":
            try:
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
            except (TimeoutError, OSError) as exc:
                raise UsageError(f"the Dask scheduler at {scheduler} has no workers",
                                 hint="start some with `dask worker ADDRESS`") from exc
        n = len(client.scheduler_info().get("workers", {}))
        info["dask_workers"] = n
        info["startup_seconds"] = round(time.perf_counter() - t0, 3)
        token = uuid.uuid4().hex[:8]
        build = worker.build_issue
        window = max(1, n) * IN_FLIGHT_PER_WORKER
        nxt = 0
        futs = {}

        def submit():
            nonlocal nxt
            t = tasks[nxt]
            f = client.submit(build, t, key=f"reissue-build-{nxt}-{t['issue']}-{token}", pure=False)
            futs[f] = nxt
            nxt += 1
            return f

        pending = as_completed([submit() for _ in range(min(window, len(tasks)))])
        for f in pending:
            i = futs.pop(f)
            try:
                summary = f.result()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # KilledWorker (the worker died on it), a cancelled future...
                summary = worker.failed_summary(tasks[i], exc, "the worker failed on this issue: ")
            on_done(i, summary)
            f.release()
            if nxt < len(tasks):
                pending.add(submit())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
