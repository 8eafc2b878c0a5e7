"""Type stubs of the compiled module: the engine's entry points. Every document is returned as
its JSON text (docs/schema); the facade (brink/_api.py) builds DataFrames from it."""

from typing import List, Optional, Tuple

SCHEMA_VERSION: int
BRINK_VERSION: str

class Scenario:
    @staticmethod
    def builtin() -> Scenario: ...
    @staticmethod
    def from_toml(text: str, name: str) -> Scenario: ...
    @staticmethod
    def from_file(path: str) -> Scenario: ...
    @staticmethod
    def chunk_count(draws: int) -> int: ...
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def as_of(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    def to_toml(self) -> str: ...
    def inputs(self) -> List[Tuple[str, str, float, float, float, bool]]: ...
    def with_values(self, changes: List[str], name: str) -> Scenario: ...
    def run(
        self,
        models: Optional[List[str]] = None,
        rounds: Optional[int] = None,
        seed: int = 0,
        draws: int = 0,
        threads: Optional[int] = None,
        as_of: Optional[str] = None,
        explain: bool = False,
        keep_draws: bool = False,
    ) -> Tuple[str, bool, Optional[Tuple[List[str], List[str], List[int], bytes, bytes]]]: ...
    def run_shard(
        self,
        start: int,
        end: int,
        models: Optional[List[str]] = None,
        rounds: Optional[int] = None,
        seed: int = 0,
        draws: int = 0,
        threads: Optional[int] = None,
        as_of: Optional[str] = None,
    ) -> bytes: ...
    def merge_shards(
        self,
        shards: List[bytes],
        models: Optional[List[str]] = None,
        rounds: Optional[int] = None,
        seed: int = 0,
        draws: int = 0,
        threads: Optional[int] = None,
        as_of: Optional[str] = None,
    ) -> str: ...
    def crisis(
        self, samples: int = 60, rounds: Optional[int] = None, seed: int = 0, threads: Optional[int] = None
    ) -> Tuple[str, bool]: ...
    def sensitivity(
        self, models: Optional[List[str]] = None, draws: int = 2000, seed: int = 0, threads: Optional[int] = None
    ) -> str: ...
    def whatif(
        self, changes: List[str], models: Optional[List[str]] = None, threads: Optional[int] = None
    ) -> str: ...
    def timeline(self, models: Optional[List[str]] = None, threads: Optional[int] = None) -> str: ...
    def backtest(
        self,
        outcomes: str,
        claims: Optional[str] = None,
        models: Optional[List[str]] = None,
        draws: int = 2000,
        seed: int = 0,
        as_of: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> str: ...

def eval_file(
    path: str,
    outcomes: Optional[str] = None,
    models: Optional[List[str]] = None,
    resamples: int = 2000,
    seed: int = 0,
    threads: Optional[int] = None,
    errors: str = "auto",
) -> str: ...
def check_file(path: str, outcomes: Optional[str] = None, onset: Optional[str] = None) -> str: ...
def solve_efg(text: str, name: str, beliefs: str = "supporting") -> str: ...
def import_file(fmt: str, path: str) -> Tuple[str, str, Optional[str]]: ...
def models() -> str: ...
def render_forecast(doc: str, explain: bool = False) -> str: ...
