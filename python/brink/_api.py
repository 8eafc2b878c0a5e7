"""The pure-Python facade over the compiled engine (``brink._brink``).

Every computation is the engine's: this module passes arguments to it, receives its documents as
the JSON of ``docs/schema`` (the text ``brink ... --format json`` prints) and builds pandas
DataFrames from them.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _brink
from ._frames import crisis_frame, flatten, issue_frame, records

PathLike = Union[str, "os.PathLike[str]"]


def _models(models: Union[None, str, Sequence[str]]) -> Optional[List[str]]:
    if models is None:
        return None
    if isinstance(models, str):
        return [models]
    return list(models)


class Document:
    """A document of the engine: its JSON text as the command line writes it, and its data."""

    def __init__(self, text: str):
        self._text = text
        self._data: Optional[Dict[str, Any]] = None

    @property
    def data(self) -> Dict[str, Any]:
        """The document as Python data (parsed from its JSON)."""
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data

    @property
    def kind(self) -> str:
        """The kind of document (``forecast``, ``eval``, ...)."""
        return self.data["document"]

    @property
    def schema(self) -> int:
        """The schema version of the document."""
        return self.data["schema"]

    def to_json(self) -> str:
        """The document as JSON: the same text as the command line's ``--format json``."""
        return self._text

    def __repr__(self) -> str:
        return f"<brink {self.kind} document, schema {self.schema}>"


class Forecast(Document):
    """A forecast of every issue and crisis of a scenario (``brink run``)."""

    def __init__(
        self,
        text: str,
        scenario: Optional["Scenario"] = None,
        options: Optional[Dict[str, Any]] = None,
        kept: Any = None,
    ):
        super().__init__(text)
        self._scenario = scenario
        self._options = dict(options or {})
        self._kept = kept

    @property
    def issues(self) -> pd.DataFrame:
        """One row per issue x model: the point forecast (``kind``, ``value``, ``label``,
        ``decisive``, ...) and, with draws, its distribution (``n``, ``mean``, ``sd``, ``min``,
        ``max``, the quantiles ``q05`` ... ``q95``, ``median_label``). Fields the engine adds to
        a model's forecast appear as further columns."""
        return issue_frame(self.data)

    @property
    def crises(self) -> pd.DataFrame:
        """One row per crisis x source x outcome, with its probability ``p`` and, over draws,
        its 95% interval (``lo``, ``hi``). ``source``: ``equilibrium`` (on the point
        estimates), ``game`` (over the draws), or another way the engine adds."""
        return crisis_frame(self.data)

    @property
    def types(self) -> pd.DataFrame:
        """The rival hypotheses about actors, with their prior and posterior odds."""
        return records(self.data["types"])

    @property
    def montecarlo(self) -> Optional[Dict[str, Any]]:
        """The Monte Carlo run (seed, chunk, draws requested and done, stopped), or None."""
        return self.data.get("montecarlo")

    @property
    def stopped(self) -> bool:
        """Whether the Monte Carlo run was stopped (e.g. by KeyboardInterrupt) before the end."""
        mc = self.montecarlo
        return bool(mc and mc["stopped"])

    def draws(self) -> pd.DataFrame:
        """Every Monte Carlo draw, one row each (index: the draw), when the run kept them
        (``run(..., keep_draws=True)``): the uncertain inputs by key, then each forecast as
        ``MODEL:ISSUE`` (NaN where the model covers none), each crisis's outcome probabilities
        in the draw as ``CRISIS:CLASS`` (NaN where its game could not be solved), and, with
        rival hypotheses, the type drawn per actor as ``type:ACTOR`` (the columns of
        ``brink run --keep-draws``)."""
        if self._kept is None:
            raise ValueError("the draws were not kept: run with keep_draws=True")
        (inputs, forecasts, crises, types), index, xin, xf, xc, xt = self._kept
        n = len(index)
        a = np.frombuffer(xin, dtype="<f8").reshape(n, len(inputs))
        b = np.frombuffer(xf, dtype="<f8").reshape(n, len(forecasts))
        c = np.frombuffer(xc, dtype="<f8").reshape(n, len(crises))
        frame = pd.DataFrame(
            np.hstack([a, b, c]), columns=list(inputs) + list(forecasts) + list(crises)
        )
        for j, name in enumerate(types):
            frame[name] = [xt[i * len(types) + j] for i in range(n)]
        frame.index = pd.Index(index, name="draw")
        return frame

    def text(self, explain: bool = False) -> str:
        """The forecast as the command line's table (``brink run``)."""
        return _brink.render_forecast(self._text, explain)

    def explain(self) -> str:
        """Why, model by model and move by move: the table of ``brink run --explain`` for the
        same scenario and options (the point forecasts; draws are not needed for it)."""
        if self._options.get("explain") or self._scenario is None:
            return self.text(explain=True)
        opts = {k: v for k, v in self._options.items() if k not in ("draws", "keep_draws")}
        opts["explain"] = True
        return self._scenario.run(**opts).text(explain=True)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        d = self.data
        mc = d.get("montecarlo")
        draws = f", {mc['draws_done']} draws" if mc else ""
        return (
            f"<brink Forecast of {d['scenario']['id']}: {len(d['issues'])} issues x "
            f"{len(d['models'])} models, {len(d['crises'])} crises{draws}>"
        )


class CrisisAnalysis(Document):
    """Each crisis's equilibrium and every input's thresholds (``brink crisis``)."""

    @property
    def thresholds(self) -> pd.DataFrame:
        """One row per crisis x input x switch of the equilibrium (inputs without a switch in
        their range have one row with no switch)."""
        rows = []
        for c in self.data["crises"]:
            cid = c["forecast"]["crisis"]
            for t in c["thresholds"]:
                base = {"crisis": cid, **flatten({k: v for k, v in t.items() if k != "switches"})}
                if not t["switches"]:
                    rows.append(base)
                for s in t["switches"]:
                    rows.append({**base, **flatten(s, "switch.")})
        return pd.DataFrame(rows)

    @property
    def crises(self) -> pd.DataFrame:
        """The equilibrium's outcome probabilities per crisis."""
        return crisis_frame({"crises": [c["forecast"] for c in self.data["crises"]]})

    def game_efg(self, crisis: int = 0) -> str:
        """The game of a crisis as a Gambit ``.efg`` file's text."""
        return self.data["crises"][crisis]["game_efg"]


class Sensitivity(Document):
    """Which inputs move each forecast (``brink sensitivity``)."""

    @property
    def tornado(self) -> pd.DataFrame:
        """One row per issue x model x input: the forecast at the input's low and high end."""
        rows = []
        for t in self.data["tornado"]:
            for s in t["swings"]:
                rows.append(
                    {"issue": t["issue"], "model": t["model"], "base": t["base"], **flatten(s)}
                )
        return pd.DataFrame(rows)

    @property
    def rank_correlation(self) -> pd.DataFrame:
        """Spearman's rho of each input with each forecast over the draws."""
        rc = self.data.get("rank_correlation") or {}
        return records(rc.get("inputs", []))


class WhatIf(Document):
    """Forecasts as given and as changed, side by side (``brink whatif``)."""

    @property
    def as_given(self) -> Forecast:
        """The forecast of the scenario as given."""
        return Forecast(json.dumps(self.data["as_given"]))

    @property
    def as_changed(self) -> Forecast:
        """The forecast with the changes."""
        return Forecast(json.dumps(self.data["as_changed"]))

    @property
    def issues(self) -> pd.DataFrame:
        """One row per issue x model: ``as_given``, ``as_changed`` and the difference."""
        a = self.as_given.issues[["issue", "model", "value"]]
        b = self.as_changed.issues[["issue", "model", "value"]]
        m = a.merge(b, on=["issue", "model"], suffixes=("_as_given", "_as_changed"))
        m = m.rename(columns={"value_as_given": "as_given", "value_as_changed": "as_changed"})
        m["change"] = m["as_changed"] - m["as_given"]
        return m

    @property
    def crises(self) -> pd.DataFrame:
        """One row per crisis x outcome: its probability as given and as changed."""
        rows = []
        for c in self.data["crises"]:
            for o in c["outcomes"]:
                rows.append({"crisis": c["crisis"], **o})
        return pd.DataFrame(rows)


class Timeline(Document):
    """The forecasts and the hypotheses' odds at the cut-off and at each dated update."""


class Backtest(Document):
    """A scenario's forecasts, and its sources' worded forecasts, against what happened."""


class Evaluation(Document):
    """Models scored against known outcomes (``brink eval``)."""

    @property
    def scores(self) -> pd.DataFrame:
        """One row per model: its point errors on the issues it covers (``own.*``) and on the
        issues every model covers (``common.*``), with 95% bootstrap intervals."""
        return records(self.data["evaluation"]["models"])

    @property
    def predictive(self) -> pd.DataFrame:
        """One row per model: its predictive distribution's scores (CRPS, log score, coverage
        and width of the central intervals)."""
        return records(self.data["predictive"]["models"])

    @property
    def per_issue(self) -> pd.DataFrame:
        """One row per issue x model: the outcome and the forecast."""
        rows = []
        for i in self.data["evaluation"]["per_issue"]:
            head = {k: v for k, v in i.items() if k != "forecasts"}
            for f in i["forecasts"]:
                rows.append({**head, **(flatten(f) if isinstance(f, dict) else {"forecast": f})})
        return pd.DataFrame(rows)


class Check(Document):
    """A scenario file checked (``brink check``): what the files hold, or every problem."""

    @property
    def ok(self) -> bool:
        """Whether every file given loads and validates."""
        return bool(self.data["ok"])

    @property
    def problems(self) -> pd.DataFrame:
        """One row per problem: ``file``, ``line``, ``column``, ``field``, ``message``,
        ``omitted`` (empty when the check passed)."""
        cols = ["file", "line", "column", "field", "message", "omitted"]
        return pd.DataFrame(self.data["problems"], columns=cols)


class Solution(Document):
    """Every equilibrium of a Gambit game with its certificate (``brink solve``)."""


class Scenario:
    """A scenario, loaded and validated: ``brink.load``, ``brink.builtin``, ``with_values``.

    A scenario pickles (it is rebuilt from its text in the process that unpickles it), so it can
    be sent to other processes and Ray tasks.
    """

    def __init__(self, inner: "_brink.Scenario", recipe: Tuple[Any, ...]):
        self._inner = inner
        self._recipe = recipe

    def __reduce__(self):
        return (_rebuild, (self._recipe,))

    @property
    def id(self) -> str:
        """The scenario's id."""
        return self._inner.id

    @property
    def title(self) -> str:
        """Its title."""
        return self._inner.title

    @property
    def as_of(self) -> str:
        """Its cut-off date."""
        return self._inner.as_of

    @property
    def file(self) -> str:
        """The file (or name) it was read from, as written into its documents."""
        return self._inner.file

    @property
    def sha256(self) -> str:
        """The SHA-256 of its text, as written into its documents."""
        return self._inner.sha256

    def to_toml(self) -> str:
        """The scenario as TOML."""
        return self._inner.to_toml()

    def inputs(self) -> pd.DataFrame:
        """Every numeric input: its key (as ``with_values`` takes it), what it is, its point
        value, its valid range, and whether it is uncertain (drawn in a Monte Carlo run)."""
        return pd.DataFrame(
            self._inner.inputs(),
            columns=["key", "name", "value", "lo", "hi", "uncertain"],
        )

    def run(
        self,
        models: Union[None, str, Sequence[str]] = None,
        draws: int = 0,
        seed: int = 0,
        as_of: Optional[str] = None,
        rounds: Optional[int] = None,
        threads: Optional[int] = None,
        explain: bool = False,
        keep_draws: bool = False,
    ) -> Forecast:
        """Forecasts every issue and crisis (``brink run``).

        ``models``: model names (default: brink's default models); ``draws``: Monte Carlo draws
        (0: none), seeded by ``seed``; ``as_of``: forecast with what was known on that date
        (``YYYY-MM-DD``); ``threads``: worker threads (no result depends on it); ``explain``:
        keep each forecast's explanation; ``keep_draws``: keep every draw (``Forecast.draws()``).

        The run releases the GIL. KeyboardInterrupt stops it within one draw and returns
        the draws done (``Forecast.stopped``), with a warning.
        """
        opts = dict(
            models=_models(models),
            rounds=rounds,
            seed=seed,
            draws=draws,
            threads=threads,
            as_of=as_of,
            explain=explain,
            keep_draws=keep_draws,
        )
        text, interrupted, kept = self._inner.run(**opts)
        fc = Forecast(text, self, opts, kept)
        if interrupted:
            mc = fc.montecarlo or {}
            warnings.warn(
                f"stopped by KeyboardInterrupt: {mc.get('draws_done', 0)} of "
                f"{mc.get('draws_requested', draws)} draws done",
                RuntimeWarning,
                stacklevel=2,
            )
        return fc

    def with_values(self, values: Mapping[str, float], name: Optional[str] = None) -> "Scenario":
        """The scenario with inputs fixed at values, keyed as ``brink whatif --set`` takes them
        (``{"rus.enlargement.salience": 0.5}``; ``inputs()`` lists the keys). Each value must
        lie in the input's valid range."""
        changes = [f"{k}={float(v)!r}" for k, v in values.items()]
        if name is None:
            name = f"{self.file} with " + ", ".join(changes)
        inner = self._inner.with_values(changes, name)
        return Scenario(inner, ("values", self._recipe, tuple(changes), name))

    def whatif(
        self,
        values: Mapping[str, float],
        models: Union[None, str, Sequence[str]] = None,
        threads: Optional[int] = None,
    ) -> WhatIf:
        """The forecasts as given and with the inputs fixed at values, side by side
        (``brink whatif --set KEY=VALUE``)."""
        changes = [f"{k}={float(v)!r}" for k, v in values.items()]
        return WhatIf(self._inner.whatif(changes, _models(models), threads))

    def crisis(
        self,
        samples: int = 60,
        rounds: Optional[int] = None,
        seed: int = 0,
        threads: Optional[int] = None,
    ) -> CrisisAnalysis:
        """Each crisis's equilibrium with its certificate and, for every uncertain input, the
        values at which the equilibrium changes (``brink crisis``; ``samples`` grid points per
        input). KeyboardInterrupt stops the threshold search and returns what it found."""
        text, interrupted = self._inner.crisis(samples, rounds, seed, threads)
        if interrupted:
            warnings.warn(
                "stopped by KeyboardInterrupt: the thresholds searched so far",
                RuntimeWarning,
                stacklevel=2,
            )
        return CrisisAnalysis(text)

    def sensitivity(
        self,
        models: Union[None, str, Sequence[str]] = None,
        draws: int = 2000,
        seed: int = 0,
        threads: Optional[int] = None,
    ) -> Sensitivity:
        """Which inputs move each forecast: one-at-a-time swings and, over ``draws`` draws,
        rank correlations (``brink sensitivity``)."""
        return Sensitivity(self._inner.sensitivity(_models(models), draws, seed, threads))

    def timeline(
        self,
        models: Union[None, str, Sequence[str]] = None,
        threads: Optional[int] = None,
    ) -> Timeline:
        """The forecasts at the cut-off and at each dated update (``brink timeline``)."""
        return Timeline(self._inner.timeline(_models(models), threads))

    def backtest(
        self,
        outcomes: PathLike,
        claims: Optional[PathLike] = None,
        models: Union[None, str, Sequence[str]] = None,
        draws: int = 2000,
        seed: int = 0,
        as_of: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> Backtest:
        """The forecasts (and the sources' claims) against an outcomes file (``brink
        backtest``)."""
        return Backtest(
            self._inner.backtest(
                os.fspath(outcomes),
                None if claims is None else os.fspath(claims),
                _models(models),
                draws,
                seed,
                as_of,
                threads,
            )
        )

    def __repr__(self) -> str:
        return f"<brink Scenario {self.id!r} as of {self.as_of} from {self.file}>"


def _rebuild(recipe: Tuple[Any, ...]) -> Scenario:
    kind = recipe[0]
    if kind == "builtin":
        return Scenario(_brink.Scenario.builtin(), recipe)
    if kind == "toml":
        return Scenario(_brink.Scenario.from_toml(recipe[1], recipe[2]), recipe)
    if kind == "values":
        base = _rebuild(recipe[1])
        return Scenario(base._inner.with_values(list(recipe[2]), recipe[3]), recipe)
    raise ValueError(f"unknown scenario recipe {kind!r}")


def builtin() -> Scenario:
    """The built-in scenario ``ukraine-2021-12`` (what ``brink run`` runs without a file)."""
    return _rebuild(("builtin",))


def _looks_like_path(x: Union[str, "os.PathLike[str]"]) -> bool:
    if not isinstance(x, str):
        return True
    return "\n" not in x and (x.endswith(".toml") or os.path.exists(x))


def load(source: Union[PathLike, str], name: Optional[str] = None) -> Scenario:
    """A scenario from a TOML file or from TOML text, loaded and validated.

    A path (or a string naming an existing file or ending in ``.toml``) is read as a file and
    named as given; other text is TOML, named ``name`` (default ``<string>``) in messages and
    documents. A scenario that does not load raises ``ScenarioError`` with every problem
    (file, line, column, field, message) in ``.problems``.
    """
    if _looks_like_path(source):
        path = os.fspath(source)
        inner = _brink.Scenario.from_file(path)
        # The text as read, so that the scenario pickles to other processes and machines.
        text = Path(path).read_text(encoding="utf-8")
        return Scenario(inner, ("toml", text, inner.file))
    name = name or "<string>"
    return Scenario(_brink.Scenario.from_toml(source, name), ("toml", source, name))


def import_file(path: PathLike, fmt: str) -> Tuple[Scenario, Optional[str]]:
    """Another tool's input (``fmt``: ``ktab``, ``bdm``, ``decide`` or ``deu``) converted into a
    brink scenario (``brink import``): the scenario, and its outcomes as TOML where the data have
    them."""
    sid, toml, outcomes = _brink.import_file(fmt, os.fspath(path))
    return load(toml, name=f"{sid}.toml"), outcomes


def eval(  # noqa: A001 - the command's name
    dataset: PathLike,
    outcomes: Optional[PathLike] = None,
    models: Union[None, str, Sequence[str]] = None,
    resamples: int = 2000,
    seed: int = 0,
    threads: Optional[int] = None,
    errors: str = "auto",
) -> Evaluation:
    """Scores models against known outcomes (``brink eval``): a DEU III TSV file, or a scenario
    with its outcomes file (default: ``NAME.outcomes.toml`` beside it).

    ``errors`` chooses the error models of the issues' predictive distributions (``brink eval
    --errors``): ``"auto"`` scores the shipped ones (what ``run`` publishes) on data they were
    not fitted on and fits them by leave-one-proposal-out cross-validation on data that share
    proposals with the DEU development split; ``"shipped"`` and ``"cv"`` force either. The
    document's ``error_models`` says which was used."""
    return Evaluation(
        _brink.eval_file(
            os.fspath(dataset),
            None if outcomes is None else os.fspath(outcomes),
            _models(models),
            resamples,
            seed,
            threads,
            errors,
        )
    )


def check(
    scenario: PathLike,
    outcomes: Optional[PathLike] = None,
    onset: Optional[PathLike] = None,
) -> Check:
    """Checks a scenario file (``brink check``), with an outcomes file and an onset addendum
    against it when given. Unlike ``load``, a file that does not validate gives a document with
    ``ok`` false and every problem (``Check.problems``), not an exception; the document is the
    text of ``brink check --format json``."""
    return Check(
        _brink.check_file(
            os.fspath(scenario),
            None if outcomes is None else os.fspath(outcomes),
            None if onset is None else os.fspath(onset),
        )
    )


def solve_efg(game: Union[PathLike, str], beliefs: str = "supporting") -> Solution:
    """Every equilibrium of a Gambit extensive-form game (``brink solve``), given as a ``.efg``
    path or as its text; ``beliefs``: off-path beliefs of perfect Bayesian equilibria
    (``supporting`` or ``prior``)."""
    if isinstance(game, str) and game.lstrip().startswith("EFG"):
        return Solution(_brink.solve_efg(game, "<string>", beliefs))
    path = os.fspath(game)
    text = Path(path).read_text(encoding="utf-8")
    return Solution(_brink.solve_efg(text, path, beliefs))


def models() -> pd.DataFrame:
    """The models brink knows: name, what it computes, whether it runs by default."""
    return pd.DataFrame(json.loads(_brink.models()))
