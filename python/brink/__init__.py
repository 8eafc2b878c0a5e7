"""brink in Python: forecasts of political standoffs and negotiations.

A small pure-Python facade over brink's engine (the compiled module ``brink._brink``, the same
engine as the ``brink`` command line). Results are the engine's documents (``to_json()`` is the
text of ``brink ... --format json``) with pandas DataFrames built from them.

    >>> import brink
    >>> fc = brink.builtin().run(draws=2000, seed=1)
    >>> fc.issues[["issue", "model", "value", "q05", "q95"]]
    >>> fc.crises.query("source == 'game'")
    >>> many = brink.sweep([sc, sc.with_values({"rus.enlargement.salience": 0.5})],
    ...                    draws=100_000, executor="ray")
"""

from . import _brink
from ._api import (
    Backtest,
    Check,
    CrisisAnalysis,
    Document,
    Evaluation,
    Forecast,
    Scenario,
    Sensitivity,
    Solution,
    Timeline,
    WhatIf,
    builtin,
    check,
    eval,
    import_file,
    load,
    models,
    solve_efg,
)
from ._errors import BrinkError, InputError, ScenarioError
from ._sweep import sweep

__version__ = _brink.BRINK_VERSION
SCHEMA_VERSION = _brink.SCHEMA_VERSION

__all__ = [
    "Backtest",
    "BrinkError",
    "Check",
    "CrisisAnalysis",
    "Document",
    "Evaluation",
    "Forecast",
    "InputError",
    "SCHEMA_VERSION",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Solution",
    "Timeline",
    "WhatIf",
    "builtin",
    "check",
    "eval",
    "import_file",
    "load",
    "models",
    "solve_efg",
    "sweep",
]
