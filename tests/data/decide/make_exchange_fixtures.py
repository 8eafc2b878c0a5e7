"""Regenerates package-run-*.json: full pinned runs of decide-exchange-model's equal-gain model.

Drives the package's own model classes (ModelFactory, EqualGainModel, ModelLoop), exactly as its
command line does with the defaults (p = 0, 10 rounds, one repetition), without writing its CSV,
SQLite or plot output, and records every round as 28-digit decimal strings:
  start_outcomes  outcome of each issue at the start of the round (issue scale),
  voting_outcomes outcome with the positions reached in the round (issue scale),
  exchanges       every executed exchange (i gives way on its supply issue, j on its own),
  draws           tie draws made in the round,
  externalities   per actor: inner positive, inner negative, outer positive, outer negative and
                  own externality sums of the round, as the package's Externalities observer
                  accumulates them (the source of its externalities/summary/<round-1>.csv).
Tie modes: KEEP (random.random == 0.1), SWAP (random.random == 0.9), PYSEED7 (random.seed(7)).

Run with the release it names (needs Python >= 3.13):
  python3.13 -m venv venv && venv/bin/pip install decide-exchange-model==2025.3.1
  venv/bin/python make_exchange_fixtures.py sample_data.txt cop21.csv
"""

import json
import random
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.observers.externalities import Externalities
from decide.model.observers.observer import Observable, Observer
from decide.model.utils import ModelLoop

ROUNDS = 10
ORIGINAL_RANDOM = random.random


class Recorder(Observer):
    def __init__(self, observable):
        super().__init__(observable)
        self.rounds = []
        self.ties_before = 0

    def _outcomes(self):
        m = self.model_ref
        return {issue.name: str(issue.de_normalize(m.nbs[issue])) for issue in m.issues if issue in m.nbs}

    def before_loop(self, iteration, repetition):
        self.rounds.append({"round": iteration + 1, "start_outcomes": self._outcomes()})

    def after_loop(self, realized, iteration, repetition):
        def side(s):
            return {
                "actor": s.actor.actor_id,
                "supply_issue": s.supply.issue.name,
                "start": str(s.supply.position),
                "shift": str(s.move),
                "y": str(s.y),
                "outcome_shift": str(abs(s.nbs_0 - s.nbs_1)),
            }

        self.rounds[-1]["exchanges"] = [
            {"i": side(e.i), "j": side(e.j), "gain": str(e.gain), "valid_after_round": bool(e.is_valid)}
            for e in realized
        ]
        ties = self.model_ref.tie_count
        self.rounds[-1]["draws"] = ties - self.ties_before
        self.ties_before = ties

    def end_loop(self, iteration, repetition):
        self.rounds[-1]["voting_outcomes"] = self._outcomes()


def run(path, mode):
    random.random = ORIGINAL_RANDOM
    if mode == "KEEP":
        random.random = lambda: 0.1
    elif mode == "SWAP":
        random.random = lambda: 0.9
    else:
        random.seed(int(mode.removeprefix("PYSEED")))
    data = InputDataFile.open(Path(path))
    model = ModelFactory(data)(model_klass=equalgain.EqualGainModel, randomized_value="0")
    with tempfile.TemporaryDirectory() as tmp:
        handler = Observable(model_ref=model, output_directory=Path(tmp))
        rec = Recorder(handler)
        ext = Externalities(handler, summary_only=True)
        handler.update_model_ref(model)
        loop = ModelLoop(model, handler, 0)
        for _ in range(ROUNDS):
            loop.loop()
    random.random = ORIGINAL_RANDOM
    for n, rnd in enumerate(rec.rounds):
        rnd["externalities"] = {
            actor.actor_id: [str(totals[n][key][0]) for key in ["ip", "in", "op", "on", "own"]]
            for actor, totals in sorted(ext.actor_totals.items())
            if n in totals
        }
    return rec.rounds


def main():
    for path in sys.argv[1:]:
        out = {
            "package": f"decide-exchange-model {version('decide-exchange-model')}",
            "python": sys.version.split()[0],
            "input": Path(path).name,
            "rounds": ROUNDS,
            "modes": {mode: run(path, mode) for mode in ["KEEP", "SWAP", "PYSEED7"]},
        }
        target = Path(__file__).with_name(f"package-run-{Path(path).stem}.json")
        target.write_text(json.dumps(out, indent=1) + "\n")
        print("wrote", target)


if __name__ == "__main__":
    main()
