"""Splink 5 on DuckDB, configured as in Splink's own FEBRL examples.

Models (the comparisons, blocking rules and training steps are copied from the notebooks in
moj-analytical-services/splink ``docs/demos/examples/duckdb/``):

- ``febrl3`` (dedupe; FEBRL 1-3): ``febrl3.nb.py``.
- ``febrl4`` (link two files; FEBRL 4): the "detailed model" of ``febrl4.nb.py``.
- ``city`` (dedupe; the synthetic City's contact and keyholder rows, ``bench.city``): configured as a careful
  user would: both names with term-frequency adjustments, e-mail, mobile, phone, the premises (address and
  postcode as one comparison) and the organisation; blocking on each identifier and on the name pair (and
  the surname with the given name's initial, for nicknames and typos); u by random sampling, EM sessions
  blocked on the name pair, the e-mail and the mobile.
- ``scale`` (dedupe; 100k and 1M perturbed FEBRL rows): ``febrl3.nb.py``'s comparisons and training, but
  prediction blocking on pairs of columns in the style of ``deduplicate_50k_synthetic.nb.py``, since febrl3's
  single-column rules (``given_name``, ``surname``, ``postcode``) make billions of pairs at a million rows;
  its EM sessions sample at most ``EM_MAX_PAIRS`` pairs (Splink 5's ``max_pairs``) for the same reason.

Every model scores all blocked pairs (the notebooks display those above 0.2, but their accuracy charts
sweep every pair, as the best-threshold F1 here does) and clusters at 0.9.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

CLUSTER_THRESHOLD = 0.9
EM_MAX_PAIRS = 1e6

FEBRL3_BLOCKING = [block_on("soc_sec_id"), block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
                   block_on("postcode")]
FEBRL4_BLOCKING = [block_on("given_name", "surname"), "l.given_name = r.surname and l.surname = r.given_name",
                   block_on("date_of_birth"), block_on("soc_sec_id"), block_on("state", "address_1"),
                   block_on("street_number", "address_1"), block_on("postcode")]
SCALE_BLOCKING = [block_on("soc_sec_id"), block_on("given_name", "surname"),
                  "l.given_name = r.surname and l.surname = r.given_name",
                  block_on("given_name", "date_of_birth"), block_on("surname", "date_of_birth"),
                  block_on("postcode", "street_number"), block_on("postcode", "surname"),
                  block_on("postcode", "given_name")]


CITY_BLOCKING = [block_on("email"), block_on("mobile"), block_on("phone"), block_on("first_name", "last_name"),
                 block_on("substr(first_name, 1, 1)", "last_name")]


@dataclass
class SplinkResult:
    """Cluster label per input row at ``CLUSTER_THRESHOLD``, the scored pairs (row positions), and timings."""

    labels: np.ndarray
    left: np.ndarray
    right: np.ndarray
    probability: np.ndarray
    seconds: dict[str, float] = field(default_factory=dict)


def _febrl3_settings(blocking: list) -> SettingsCreator:
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )


def _febrl4_settings() -> SettingsCreator:
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=FEBRL4_BLOCKING,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )


def _city_settings() -> SettingsCreator:
    premises = cl.CustomComparison(
        output_column_name="premises",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.And(cll.ExactMatchLevel("address"), cll.ExactMatchLevel("postcode")),
            cll.And(cll.JaroWinklerLevel("address", 0.9), cll.ExactMatchLevel("postcode")),
            cll.ExactMatchLevel("postcode"),
            cll.ElseLevel(),
        ])
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=CITY_BLOCKING,
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            # a mailbox or number shared by many (info@, a switchboard) says little: term frequencies
            cl.EmailComparison("email").configure(term_frequency_adjustments=True),
            cl.ExactMatch("mobile").configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            premises,
            cl.JaroWinklerAtThresholds("organisation", [0.95, 0.88]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )


def _train_city(linker: Linker) -> None:
    deterministic_rules = [block_on("email"), block_on("first_name", "last_name", "mobile")]
    linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=2)
    for rule in (block_on("first_name", "last_name"), block_on("mobile")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_MAX_PAIRS)


def _train_febrl3(linker: Linker, em_max_pairs: float | None = None) -> None:
    deterministic_rules = [
        block_on("soc_sec_id"),
        block_on("given_name", "surname", "date_of_birth"),
        "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
    ]
    linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    for rule in (block_on("date_of_birth"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=em_max_pairs)


def _train_febrl4(linker: Linker) -> None:
    deterministic_rules = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in (block_on("date_of_birth"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)


@dataclass(frozen=True)
class Model:
    settings: Callable[[], SettingsCreator]
    train: Callable[[Linker], None]
    link_only: bool = False


MODELS = {
    "febrl3": Model(lambda: _febrl3_settings(FEBRL3_BLOCKING), _train_febrl3),
    "febrl4": Model(_febrl4_settings, _train_febrl4, link_only=True),
    "city": Model(_city_settings, _train_city),
    "scale": Model(lambda: _febrl3_settings(SCALE_BLOCKING), lambda linker: _train_febrl3(linker, EM_MAX_PAIRS)),
}


@dataclass
class SplinkRun:
    """A trained, predicted and clustered model, still inside DuckDB."""

    db_api: DuckDBAPI
    predictions: str
    clusters: str
    seconds: dict[str, float]


def run_splink(records: pa.Table, model: str) -> SplinkRun:
    """Train, predict and cluster ``records`` (columns of ``bench.datasets.FIELDS`` plus rec_id and source).

    For a link-only model the rows are split on ``source`` into the two tables to link."""
    chosen = MODELS[model]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    db_api = DuckDBAPI()
    if chosen.link_only:
        tables = [records.filter(pc.equal(records["source"], name)) for name in pc.unique(records["source"])]
        linker = Linker([db_api.register(t) for t in tables], chosen.settings())
    else:
        linker = Linker(db_api.register(records), chosen.settings())
    chosen.train(linker)
    seconds["training"] = time.perf_counter() - started

    started = time.perf_counter()
    predictions = linker.inference.predict()
    seconds["prediction"] = time.perf_counter() - started

    started = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=CLUSTER_THRESHOLD)
    seconds["clustering"] = time.perf_counter() - started
    return SplinkRun(db_api, predictions.physical_name, clusters.physical_name, seconds)


def export(run: SplinkRun, records: pa.Table) -> SplinkResult:
    """Scored pairs and cluster labels by row position of ``records``, translated inside DuckDB."""
    con = run.db_api.duckdb_con
    con.register("bench_rows", pa.table({"rec_id": records["rec_id"], "row": np.arange(len(records))}))
    pairs = con.sql(f"""
        select l.row as left_row, r.row as right_row, p.match_probability
        from {run.predictions} p
        join bench_rows l on p.rec_id_l = l.rec_id join bench_rows r on p.rec_id_r = r.rec_id
        """).fetchnumpy()
    members = con.sql(f"""
        select b.row, dense_rank() over (order by c.cluster_id) as label
        from {run.clusters} c join bench_rows b on c.rec_id = b.rec_id
        """).fetchnumpy()
    labels = np.full(len(records), -1, dtype=np.int64)
    labels[members["row"]] = members["label"]
    return SplinkResult(labels=labels, left=np.asarray(pairs["left_row"]), right=np.asarray(pairs["right_row"]),
                        probability=np.asarray(pairs["match_probability"], dtype=np.float64), seconds=run.seconds)
