"""What the catalogue benchmark found: a row per scenario and URL, filled by the measurements
in-process and under load."""

from dataclasses import dataclass, field

from bench.catalogue.data import Scenario
from bench.catalogue.load import Load


@dataclass
class Row:
    scenario: str
    sessions: int
    label: str
    url: str
    miss: bool = False  # each request with a unique `nocache` parameter: never a cache hit
    status: int = 0  # of the in-process request
    queries: int | None = None
    sql_ms: float | None = None  # time spent in those queries, in-process
    best_ms: float | None = None  # fastest of a few lone requests, in-process
    load: Load | None = None


@dataclass
class ScenarioResult:
    scenario: Scenario
    courses: int = 0
    sessions: int = 0
    upcoming_sessions: int = 0
    seed_seconds: float = 0.0
    top_up_seconds: float = 0.0
    idle_cpu_busy: list = field(default_factory=list)  # % before and after the load
    rows: list = field(default_factory=list)


def find(results, scenario, label, loaded=True):
    for result in results:
        if result.scenario.name == scenario:
            for row in result.rows:
                if row.label == label and (row.load or not loaded):
                    return row
    return None
