"""The Python package against the command line and against itself."""

import json
import math
import pickle
import threading
import _thread

import numpy as np
import pandas as pd
import pytest

import brink
from conftest import DATA, ROOT


# --- the same documents as the command line ---------------------------------------------------


def test_builtin_forecast_is_the_cli_document(cli):
    fc = brink.builtin().run(draws=2000, seed=3)
    assert fc.to_json() == cli("run", "--draws", "2000", "--seed", "3", "--format", "json", "-q")


def test_file_forecast_with_models_and_date_is_the_cli_document(cli, in_root):
    path = "scenarios/ukraine-2021-12.toml"
    fc = brink.load(path).run(
        models=["compromise", "median"], draws=500, seed=9, as_of="2022-01-10"
    )
    expected = cli(
        "run", path, "-m", "compromise", "-m", "median", "--draws", "500", "--seed", "9",
        "--as-of", "2022-01-10", "--format", "json", "-q",
    )
    assert fc.to_json() == expected
    assert fc.data["scenario"]["as_of"] == "2022-01-10"
    assert fc.data["updates_applied"] > 0


def test_deu_evaluation_is_the_cli_document(cli, in_root):
    path = "tests/data/deu3/deu3-dev.tsv"
    ev = brink.eval(path, models=["compromise", "median"], resamples=50, seed=2)
    expected = cli(
        "eval", path, "-m", "compromise", "-m", "median", "--resamples", "50", "--seed", "2",
        "--format", "json",
    )
    assert ev.to_json() == expected
    scores = ev.scores
    assert list(scores["name"][:2]) == ["compromise", "median"]
    assert scores.loc[0, "own.n"] == ev.data["evaluation"]["models"][0]["own"]["n"]
    assert abs(scores.loc[0, "own.mae"] - 21.62) < 0.01  # the README's DEU baseline
    # The development split's own proposals: error models cross-validated on them (auto); the
    # shipped ones, which saw these outcomes, only when asked, as on the command line.
    assert ev.data["error_models"]["used"] == "cross-validated"
    shipped = brink.eval(path, models="compromise", resamples=50, seed=2, errors="shipped")
    assert shipped.data["error_models"] == {
        "used": "shipped", "asked": "shipped", "scored_proposals": 88, "shared_proposals": 88,
    }
    assert shipped.to_json() == cli(
        "eval", path, "-m", "compromise", "--resamples", "50", "--seed", "2", "--errors",
        "shipped", "--format", "json",
    )
    with pytest.raises(ValueError, match="errors="):
        brink.eval(path, errors="bogus")


def test_crisis_analysis_is_the_cli_document(cli):
    ca = brink.builtin().crisis(samples=8)
    assert ca.to_json() == cli("crisis", "--samples", "8", "--format", "json")
    th = ca.thresholds
    assert len(th) >= len(ca.data["crises"][0]["thresholds"])
    assert ca.game_efg().startswith("EFG 2 R")


def test_solve_efg_is_the_cli_document(cli, in_root):
    path = "tests/data/crisis/models_example.efg"
    sol = brink.solve_efg(path)
    assert sol.to_json() == cli("solve", path, "--format", "json")
    # The same game given as text.
    text = (ROOT / path).read_text()
    assert brink.solve_efg(text).data["equilibria"] == sol.data["equilibria"]


def test_whatif_and_sensitivity_are_the_cli_documents(cli):
    sc = brink.builtin()
    w = sc.whatif({"rus.enlargement.salience": 0.5}, models=["compromise"])
    assert w.to_json() == cli(
        "whatif", "--set", "rus.enlargement.salience=0.5", "-m", "compromise", "--format", "json"
    )
    s = sc.sensitivity(models=["median"], draws=300, seed=4)
    assert s.to_json() == cli(
        "sensitivity", "-m", "median", "--draws", "300", "--seed", "4", "--format", "json"
    )
    assert set(s.tornado["model"]) == {"median"}
    assert len(s.rank_correlation) > 0


def test_explain_is_the_cli_table(cli):
    fc = brink.builtin().run(models=["compromise", "nash"])
    assert fc.explain() == cli("run", "-m", "compromise", "-m", "nash", "--explain")
    assert str(fc) == cli("run", "-m", "compromise", "-m", "nash")


# --- DataFrames --------------------------------------------------------------------------------


def test_issue_frame_holds_every_forecast_of_the_document():
    fc = brink.builtin().run(draws=600, seed=1)
    d = fc.data
    df = fc.issues
    assert len(df) == len(d["issues"]) * len(d["models"])
    for col in ["issue", "model", "kind", "value", "mean", "sd", "q05", "q25", "q50", "q75", "q95"]:
        assert col in df.columns, col
    for issue in d["issues"]:
        for f in issue["forecasts"]:
            row = df[(df.issue == issue["id"]) & (df.model == f["model"])].iloc[0]
            assert row["kind"] == f["kind"]
            if f["value"] is not None:
                assert row["value"] == f["value"]
            s = f["distribution"]["summary"]
            if s is not None:
                assert row["mean"] == s["mean"]
                assert [row[f"q{int(q['q'] * 100):02d}"] for q in s["quantiles"]] == [
                    q["value"] for q in s["quantiles"]
                ]


def test_crisis_frame_has_the_equilibrium_and_the_draws():
    fc = brink.builtin().run(draws=300, seed=1)
    cf = fc.crises
    assert set(cf["source"]) >= {"equilibrium", "game"}
    for src in ["equilibrium", "game"]:
        part = cf[cf.source == src]
        assert abs(part["p"].sum() - 1.0) < 1e-9
    game = cf[cf.source == "game"]
    assert (game["lo"] <= game["p"]).all() and (game["p"] <= game["hi"]).all()
    assert (game["draws"] == 300).all()


def test_frames_take_fields_the_engine_adds():
    # A document with a field this package has never heard of, shaped like the engine's
    # additions (a crisis's reference class, an issue forecast's quantiles): it flows through.
    fc = brink.builtin().run(models=["compromise"])
    d = json.loads(fc.to_json())
    d["crises"][0]["reference_class"] = {
        "draws": 0,
        "outcomes": [{"outcome": "war", "p": 0.25, "interval": {"lo": 0.1, "hi": 0.4}}],
    }
    d["issues"][0]["forecasts"][0]["predictive"] = {
        "quantiles": [{"q": 0.1, "value": 40.0}, {"q": 0.9, "value": 60.0}]
    }
    other = brink.Forecast(json.dumps(d))
    rc = other.crises[other.crises.source == "reference_class"]
    assert list(rc["p"]) == [0.25] and list(rc["hi"]) == [0.4]
    assert other.issues.loc[0, "predictive.q10"] == 40.0
    assert other.issues.loc[0, "predictive.q90"] == 60.0


def test_kept_draws_are_the_draws_behind_the_distributions():
    fc = brink.builtin().run(models=["compromise", "median"], draws=700, seed=5, keep_draws=True)
    draws = fc.draws()
    assert len(draws) == 700 and list(draws.index) == list(range(700))
    mc = fc.montecarlo
    assert list(draws.columns[: len(mc["uncertain_inputs"])]) == mc["uncertain_inputs"]
    for _, row in fc.issues.iterrows():
        col = draws[f"{row['model']}:{row['issue']}"].dropna()
        assert len(col) == row["n"]
        assert math.isclose(col.mean(), row["mean"], rel_tol=1e-9, abs_tol=1e-9)
        assert col.min() == row["min"] and col.max() == row["max"]
    # Each crisis's outcome probabilities per draw average to the document's game, and the
    # type drawn for Russia is one of its hypotheses.
    game = fc.crises.query("source == 'game'")
    for _, g in game.iterrows():
        col = draws[f"{g['crisis']}:{g['outcome']}"]
        assert math.isclose(col.mean(), g["p"], rel_tol=1e-9, abs_tol=1e-12)
    assert set(draws["type:rus"]) == {"security", "territory"}
    with pytest.raises(ValueError, match="keep_draws"):
        brink.builtin().run(draws=10).draws()


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_same_frames_on_one_and_four_threads():
    sc = brink.builtin()
    a = sc.run(draws=1500, seed=11, threads=1)
    b = sc.run(draws=1500, seed=11, threads=4)
    assert a.to_json() == b.to_json()
    pd.testing.assert_frame_equal(a.issues, b.issues)
    pd.testing.assert_frame_equal(a.crises, b.crises)
    c = sc.run(draws=1500, seed=12, threads=1)
    assert not a.issues["mean"].equals(c.issues["mean"])


# --- errors ------------------------------------------------------------------------------------


def _line_of(text, needle, after=0):
    for i, line in enumerate(text.splitlines(), start=1):
        if i > after and needle in line:
            return i
    raise AssertionError(needle)


def test_a_broken_scenario_raises_with_every_problem_and_its_line(tmp_path):
    text = (DATA / "example.toml").read_text()
    bad = text.replace("\npower = 3 ", "\npower = -3").replace("\nsalience = 0.5\n", "\nsalience = 1.5\n")
    assert bad.count("-3") == 1 and bad.count("1.5") == 1
    path = tmp_path / "broken.toml"
    path.write_text(bad)
    with pytest.raises(brink.ScenarioError) as e:
        brink.load(path)
    problems = e.value.problems
    assert len(problems) >= 2, problems
    lines = {p["line"] for p in problems}
    assert _line_of(bad, "power = -3") in lines
    assert _line_of(bad, "salience = 1.5") in lines
    for p in problems:
        assert p["file"] == str(path)
        assert p["message"] and p["column"] >= 1
    assert any(p["field"].startswith("actors[0].power") for p in problems), problems
    assert isinstance(e.value, ValueError) and isinstance(e.value, brink.InputError)
    # The same from text, named as asked.
    with pytest.raises(brink.ScenarioError) as e2:
        brink.load(bad, name="mine.toml")
    assert {p["file"] for p in e2.value.problems} == {"mine.toml"}
    # A syntax error has a line too.
    with pytest.raises(brink.ScenarioError) as e3:
        brink.load("brink = 1\n[scenario\nid = 1\n")
    assert e3.value.problems[0]["line"] == 2


def test_check_reports_problems_as_a_document(tmp_path, cli, in_root):
    ok = brink.check("scenarios/crises/berlin-1958.toml",
                     outcomes="scenarios/crises/berlin-1958.outcomes.toml",
                     onset="scenarios/crises/berlin-1958.onset.toml")
    assert ok.ok and ok.problems.empty and ok.kind == "check"
    assert ok.data["onset"]["crises_with_onset"] == 1
    assert ok.to_json() == cli(
        "check", "scenarios/crises/berlin-1958.toml",
        "--outcomes", "scenarios/crises/berlin-1958.outcomes.toml",
        "--onset", "scenarios/crises/berlin-1958.onset.toml", "--format", "json",
    )
    # A broken file: no exception, every problem in the document, the same as load's.
    bad = (DATA / "example.toml").read_text().replace("\nsalience = 0.5\n", "\nsalience = 1.5\n")
    path = tmp_path / "broken.toml"
    path.write_text(bad)
    c = brink.check(path)
    assert not c.ok and c.data["actors"] is None
    with pytest.raises(brink.ScenarioError) as e:
        brink.load(path)
    same = ["file", "line", "column", "field", "message"]
    assert c.problems[same].to_dict("records") == [{k: p[k] for k in same} for p in e.value.problems]
    assert _line_of(bad, "salience = 1.5") in set(c.problems["line"])


def test_bad_options_raise_input_errors():
    sc = brink.builtin()
    with pytest.raises(brink.InputError, match="unknown model `nope`"):
        sc.run(models=["nope"])
    with pytest.raises(brink.InputError, match="as_of"):
        sc.run(as_of="yesterday")
    with pytest.raises(brink.InputError, match="outside the valid range"):
        sc.with_values({"rus.enlargement.salience": 7})
    with pytest.raises(brink.InputError):
        sc.with_values({"no.such.input": 1})
    with pytest.raises(brink.InputError, match="cannot read"):
        brink.load("/nonexistent/x.toml")
    with pytest.raises(brink.InputError):
        brink.eval("/nonexistent/data.tsv")


# --- scenarios ---------------------------------------------------------------------------------


def test_load_builtin_import_and_pickle(in_root):
    sc = brink.builtin()
    assert sc.id == "ukraine-2021-12" and sc.file.startswith("<built-in")
    ex = brink.load(DATA / "example.toml")
    assert ex.id == "example"
    assert brink.load((DATA / "example.toml").read_text()).sha256 == ex.sha256
    for s in [sc, ex, ex.with_values({"usa.power": 4.5})]:
        back = pickle.loads(pickle.dumps(s))
        assert (back.id, back.file, back.sha256) == (s.id, s.file, s.sha256)
        assert back.run(models=["compromise"]).to_json() == s.run(models=["compromise"]).to_json()
    imported, outcomes = brink.import_file("tests/data/decide/sample_data.txt", "decide")
    assert len(imported.run(models=["compromise"]).issues) > 0
    m = brink.models()
    assert {"compromise", "median", "nash", "eu", "smp", "exchange"} <= set(m["name"])


def test_with_values_is_the_whatif_changed_forecast():
    sc = brink.builtin()
    key = "rus.enlargement.salience"
    inputs = sc.inputs().set_index("key")
    assert inputs.loc[key, "value"] != 0.5
    changed = sc.with_values({key: 0.5})
    w = sc.whatif({key: 0.5})
    a = changed.run().issues[["issue", "model", "value"]]
    b = w.as_changed.issues[["issue", "model", "value"]]
    pd.testing.assert_frame_equal(a, b)
    assert changed.inputs().set_index("key").loc[key, "value"] == 0.5
    assert (w.issues["change"].abs() > 0).any()


# --- KeyboardInterrupt -------------------------------------------------------------------------


def test_keyboard_interrupt_returns_the_partial_run():
    sc = brink.builtin()
    draws = 20_000_000  # far longer than the interrupt's delay
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.warns(RuntimeWarning, match="stopped by KeyboardInterrupt"):
            fc = sc.run(models=["compromise"], draws=draws, seed=2)
    finally:
        timer.cancel()
    mc = fc.montecarlo
    assert fc.stopped and mc["draws_requested"] == draws
    # The stop is polled before each draw, so the draws done need not fill whole chunks.
    assert 0 < mc["draws_done"] < draws
    # The partial document is the prefix of the draws: the same as a run of that many draws.
    full = sc.run(models=["compromise"], draws=mc["draws_done"], seed=2)
    pd.testing.assert_frame_equal(fc.issues, full.issues)


# --- sweeps ------------------------------------------------------------------------------------


def test_sweep_on_local_processes_is_one_run():
    sc = brink.builtin()
    variant = sc.with_values({"rus.enlargement.salience": 0.5})
    out = brink.sweep([sc, variant], draws=1300, seed=4, models=["compromise", "median"],
                      executor="local", workers=2, tasks_per_scenario=3)
    assert len(out) == 2
    for s, fc in zip([sc, variant], out):
        assert fc.to_json() == s.run(models=["compromise", "median"], draws=1300, seed=4).to_json()
    assert not out[0].issues["mean"].equals(out[1].issues["mean"])
    one = brink.sweep(sc, draws=300, seed=4, models="compromise", executor="serial")
    assert one.to_json() == sc.run(models="compromise", draws=300, seed=4).to_json()


def test_sweep_on_ray_is_one_run():
    ray = pytest.importorskip(
        "ray", reason="Ray is not installed (pip install ray); the local-process sweep is tested"
    )
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        sc = brink.builtin()
        fc = brink.sweep(sc, draws=1500, seed=8, executor="ray", workers=2)
        assert fc.to_json() == sc.run(draws=1500, seed=8).to_json()
        pd.testing.assert_frame_equal(fc.issues, sc.run(draws=1500, seed=8, threads=1).issues)
    finally:
        ray.shutdown()
