"""Sweeps: Monte Carlo draws of one or many scenarios, sharded across processes or Ray tasks.

A run's draws are cut into chunks of 256, and chunk k draws from its own random stream (the
seed's stream k): what a chunk computes depends only on the scenario, the options, the seed and
k. A sweep gives each task a range of chunks; the task sends back the chunks' raw per-draw
results, and the calling process merges them in chunk order through the engine's own
aggregation (``Forecast.merge_shards``). The merged document is byte for byte the one
``Scenario.run`` gives in one process with the same seed, whatever the executor and the split.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _brink
from ._api import Forecast, Scenario, _models


def _shard(scenario: Scenario, start: int, end: int, opts: Dict[str, Any]) -> bytes:
    """One task: chunks start..end of a scenario's run, as bytes."""
    return scenario._inner.run_shard(start, end, **opts)


def _ranges(n_chunks: int, parts: int) -> List[Tuple[int, int]]:
    """n_chunks cut into at most `parts` contiguous ranges of near-equal size."""
    parts = max(1, min(parts, n_chunks))
    base, extra = divmod(n_chunks, parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append((start, end))
        start = end
    return out


def _run_local(tasks, workers: int) -> List[bytes]:
    # Fresh interpreters ("spawn"), not forks: a forked child would inherit the parent's
    # thread pool state without its threads.
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
        futures = [ex.submit(_shard, *t) for t in tasks]
        return [f.result() for f in futures]


def _run_ray(tasks, workers: int, address: Optional[str]) -> List[bytes]:
    try:
        import ray
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError(
            "executor='ray' needs Ray: pip install 'ray' (or brink[ray])"
        ) from e
    if not ray.is_initialized():
        if address is not None:
            ray.init(address=address)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    remote = ray.remote(num_cpus=1)(_shard)
    refs = [remote.remote(*t) for t in tasks]
    return ray.get(refs)


def sweep(
    scenarios: Union[Scenario, Sequence[Scenario]],
    draws: int,
    seed: int = 0,
    models: Union[None, str, Sequence[str]] = None,
    rounds: Optional[int] = None,
    as_of: Optional[str] = None,
    executor: Union[str, cf.Executor] = "local",
    workers: int = 2,
    tasks_per_scenario: Optional[int] = None,
    threads_per_task: Optional[int] = 1,
    ray_address: Optional[str] = None,
) -> Union[Forecast, List[Forecast]]:
    """Runs ``draws`` Monte Carlo draws of each scenario (a scenario, or a list of scenarios
    and variants made with ``Scenario.with_values``), sharded across workers.

    Each scenario's chunks of 256 draws are cut into ``tasks_per_scenario`` ranges (default:
    ``workers``); every range of every scenario is one task. ``executor``:

    - ``"local"``: a pool of ``workers`` local processes;
    - ``"ray"``: Ray tasks, on the running Ray cluster if ``ray.init`` was called, on
      ``ray_address`` if given (e.g. ``"auto"`` on a node of an existing cluster), otherwise a
      local Ray instance with ``workers`` CPUs;
    - ``"serial"``: one after the other in this process (for debugging);
    - a ``concurrent.futures.Executor`` of your own.

    Each task runs the engine on ``threads_per_task`` threads (None: all cores of its machine).
    The merged result of each scenario is, byte for byte, ``scenario.run(draws=draws,
    seed=seed, ...)``. Returns one Forecast for one scenario, a list for a list.
    """
    single = isinstance(scenarios, Scenario)
    items: List[Scenario] = [scenarios] if single else list(scenarios)  # type: ignore[list-item]
    for s in items:
        if not isinstance(s, Scenario):
            raise TypeError(f"sweep takes brink Scenarios, not {type(s).__name__}")
    n_chunks = _brink.Scenario.chunk_count(draws)
    parts = tasks_per_scenario or workers
    common = dict(models=_models(models), rounds=rounds, seed=seed, draws=draws, as_of=as_of)
    task_opts = dict(common, threads=threads_per_task)
    tasks = []
    owner = []
    for i, s in enumerate(items):
        for start, end in _ranges(n_chunks, parts):
            tasks.append((s, start, end, task_opts))
            owner.append(i)
    if executor == "local":
        out = _run_local(tasks, workers)
    elif executor == "ray":
        out = _run_ray(tasks, workers, ray_address)
    elif executor == "serial":
        out = [_shard(*t) for t in tasks]
    elif isinstance(executor, cf.Executor):
        out = [f.result() for f in [executor.submit(_shard, *t) for t in tasks]]
    else:
        raise ValueError(
            f"unknown executor {executor!r}: expected 'local', 'ray', 'serial' or an Executor"
        )
    results = []
    for i, s in enumerate(items):
        shards = [b for b, o in zip(out, owner) if o == i]
        text = s._inner.merge_shards(shards, **common)
        results.append(Forecast(text, s, dict(common)))
    return results[0] if single else results
