"""Erlang C: reference values with their source, exactness of the staffing search, properties
and edge cases."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veerkracht.planning import erlang
from veerkracht.planning.erlang import StaffingInputError

FAST = settings(max_examples=40, deadline=None)


# --- independent hand calculations ---------------------------------------------------------


def exact_erlang_c(load: Fraction, n: int) -> Fraction:
    """Erlang C in exact rational arithmetic, straight from the textbook formula
    ``C = (A^n/n! * n/(n-A)) / (sum_{k<n} A^k/k! + A^n/n! * n/(n-A))``."""
    top = load**n / math.factorial(n) * Fraction(n) / (n - load)
    return top / (sum(load**k / math.factorial(k) for k in range(n)) + top)


def exact_erlang_b(load: Fraction, n: int) -> Fraction:
    """Erlang B in exact rational arithmetic: ``(A^n/n!) / sum_{k<=n} A^k/k!``."""
    return (load**n / math.factorial(n)) / sum(load**k / math.factorial(k) for k in range(n + 1))


def brute_required(load: float, aht_s: float, target_s: float, sl_target: float) -> int:
    """Smallest n > load with SL >= target, by the plain Erlang B recursion from n = 1."""
    b, n = 1.0, 0
    while True:
        n += 1
        b = load * b / (n + load * b)
        if n > load:
            c = b / (1 - load / n * (1 - b))
            if 1 - c * math.exp(-(n - load) * target_s / aht_s) >= sl_target - 1e-12:
                return n


def log_erlang_b_sum(load: float, n: int) -> float:
    """log B(n, load) as ``log pmf(n) - log sum_{k<=n} pmf(k)`` with a log-sum in pure Python."""
    logs = [k * math.log(load) - load - math.lgamma(k + 1) for k in range(n + 1)]
    top = max(logs)
    return logs[-1] - (top + math.log(math.fsum(math.exp(v - top) for v in logs)))


# --- reference values ------------------------------------------------------------------------


def test_it_reproduces_the_call_centre_helper_worked_example() -> None:
    # Source: pyworkforce 0.5.1, pyworkforce/queuing/tests/test_erlang.py
    # ::test_expected_erlangc_results, the worked example of callcentrehelper.com ("Erlang C
    # formula - made simple"): 100 calls per 30 min, AHT 3 min, 80 % in 20 s, shrinkage 30 %,
    # max occupancy 85 % -> 14 raw agents, 20 scheduled, SL 0.888, occupancy 0.714,
    # P(wait) 0.174 (all to 3 decimals).
    assert erlang.required_agents(100, 180, 20, 0.8, 1800) == 14
    assert erlang.required_agents(100, 180, 20, 0.8, 1800, max_occupancy=0.85, shrinkage=0.3) == 20
    assert erlang.service_level(100, 180, 14, 20, 1800) == pytest.approx(0.888, abs=5e-4)
    assert erlang.occupancy(100, 180, 14, 1800) == pytest.approx(0.714, abs=5e-4)
    assert erlang.prob_wait(100, 180, 14, 1800) == pytest.approx(0.174, abs=5e-4)


def test_it_reproduces_the_worked_example_with_an_occupancy_cap() -> None:
    # Source: pyworkforce 0.5.1 test_erlang.py::test_over_occupancy_erlangc: the same example
    # with max occupancy 70 % -> 15 raw, 22 scheduled, SL 0.941, occupancy 0.667, P(wait) 0.102.
    raw = erlang.required_agents(100, 180, 20, 0.8, 1800, max_occupancy=0.7)
    assert raw == 15
    assert erlang.required_agents(100, 180, 20, 0.8, 1800, max_occupancy=0.7, shrinkage=0.3) == 22
    assert erlang.service_level(100, 180, 15, 20, 1800) == pytest.approx(0.941, abs=5e-4)
    assert erlang.occupancy(100, 180, 15, 1800) == pytest.approx(0.667, abs=5e-4)
    assert erlang.prob_wait(100, 180, 15, 1800) == pytest.approx(0.102, abs=5e-4)


def test_it_matches_exact_rational_erlang_c() -> None:
    # Hand calculation in exact fractions: A = 10 Erlang (100 calls x 180 s / 1800 s), and the
    # classic 360 calls per half hour at 4 minutes (A = 48) with 55 agents.
    for arrivals, aht_s, interval_s, n in [(100, 180, 1800, 14), (360, 240, 1800, 55)]:
        load = Fraction(arrivals * aht_s, interval_s)
        c = exact_erlang_c(load, n)
        assert erlang.prob_wait(arrivals, aht_s, n, interval_s) == pytest.approx(
            float(c), rel=1e-12
        )
        asa = c * aht_s / (n - load)
        assert erlang.asa_s(arrivals, aht_s, n, interval_s) == pytest.approx(float(asa), rel=1e-12)
        sl = 1 - float(c) * math.exp(-float(n - load) * 15 / aht_s)
        assert erlang.service_level(arrivals, aht_s, n, 15, interval_s) == pytest.approx(
            sl, rel=1e-12
        )


def test_it_matches_exact_rational_erlang_b_on_both_sides_of_the_switch() -> None:
    # The recursion serves up to 50 agents and the Poisson (gammaincc) form above: both must
    # agree with the exact value, including agents far below the load.
    for load, n in [
        (Fraction(5), 10),
        (Fraction(48), 55),
        (Fraction(61, 2), 49),
        (Fraction(61, 2), 51),
        (Fraction(120), 51),
        (Fraction(90), 80),
    ]:
        expected = float(exact_erlang_b(load, n))
        assert erlang.erlang_b(float(load), n) == pytest.approx(expected, rel=1e-11)


def test_it_agrees_with_pyworkforce_where_pyworkforce_is_right() -> None:
    # Cross-check against pyworkforce 0.5.1 (its own Erlang B loop) for service levels.
    erlang_c = pytest.importorskip("pyworkforce.queuing").ErlangC
    # Stable queues only: for agents <= load pyworkforce returns P(wait) > 1.
    for arrivals, aht_s, n in [(100, 180, 24), (250, 300, 90), (40, 600, 31)]:
        theirs = erlang_c(transactions=arrivals, aht=aht_s / 60, asa=20 / 60, interval=15)
        assert erlang.service_level(arrivals, aht_s, n, 20) == pytest.approx(
            theirs.service_level(n), rel=1e-9
        )
        assert erlang.prob_wait(arrivals, aht_s, n) == pytest.approx(
            theirs.waiting_probability(n), rel=1e-9
        )


# --- the staffing search -------------------------------------------------------------------


def test_it_finds_the_smallest_number_of_agents_for_a_whole_week() -> None:
    rng = np.random.default_rng(7)
    t = np.arange(672) % 96 / 4.0
    arrivals = 300 * np.exp(-0.5 * ((t - 11) / 3) ** 2) * rng.gamma(40, 1 / 40, 672) + 0.5
    aht = np.repeat([180.0, 300.0, 420.0, 600.0], 168)
    for target_s, sl in [(20, 0.8), (0, 0.5), (60, 0.95), (15, 0.999)]:
        got = erlang.required_agents(arrivals, aht, target_s, sl)
        expected = [
            brute_required(a * h / 900, h, target_s, sl) for a, h in zip(arrivals, aht, strict=True)
        ]
        np.testing.assert_array_equal(got, expected)


@FAST
@given(
    arrivals=st.floats(0.01, 3000),
    aht_s=st.floats(30, 1200),
    target_s=st.floats(0, 300),
    sl=st.floats(0, 0.995),
)
def test_it_staffs_exactly_at_the_target(
    arrivals: float, aht_s: float, target_s: float, sl: float
) -> None:
    n = erlang.required_agents(arrivals, aht_s, target_s, sl)
    load = arrivals * aht_s / 900
    assert n > load
    assert erlang.service_level(arrivals, aht_s, n, target_s) >= sl - 1e-9
    if n - 1 > load:
        assert erlang.service_level(arrivals, aht_s, n - 1, target_s) < sl + 1e-9


@FAST
@given(
    arrivals=st.floats(0.1, 2000),
    aht_s=st.floats(30, 900),
    target_s=st.floats(0, 120),
    extra=st.integers(1, 40),
)
def test_it_raises_service_level_with_agents(
    arrivals: float, aht_s: float, target_s: float, extra: int
) -> None:
    n = math.floor(arrivals * aht_s / 900) + extra
    assert (
        erlang.service_level(arrivals, aht_s, n + 1, target_s)
        >= erlang.service_level(arrivals, aht_s, n, target_s) - 1e-12
    )


@FAST
@given(
    arrivals=st.floats(0.1, 2000),
    growth=st.floats(1.0, 1.5),
    aht_s=st.floats(30, 900),
    target_s=st.floats(0, 120),
)
def test_it_lowers_service_level_with_load(
    arrivals: float, growth: float, aht_s: float, target_s: float
) -> None:
    n = math.floor(arrivals * growth * aht_s / 900) + 3
    assert (
        erlang.service_level(arrivals * growth, aht_s, n, target_s)
        <= erlang.service_level(arrivals, aht_s, n, target_s) + 1e-12
    )


# --- edge cases ----------------------------------------------------------------------------


def test_it_needs_no_agents_without_arrivals() -> None:
    assert erlang.required_agents(0, 300, 20, 0.8) == 0
    np.testing.assert_array_equal(erlang.required_agents(np.zeros(3), 300, 20, 0.8), [0, 0, 0])
    assert erlang.service_level(0, 300, 0, 20) == 1.0
    assert erlang.prob_wait(0, 300, 2) == 0.0
    assert erlang.asa_s(0, 300, 2) == 0.0
    assert erlang.occupancy(0, 300, 2) == 0.0


def test_it_needs_one_agent_for_a_tiny_load() -> None:
    assert erlang.required_agents(1e-9, 300, 20, 0.99) == 1
    assert erlang.required_agents(0.01, 300, 0, 0.99) == 1


def test_it_handles_five_thousand_erlang_without_overflow() -> None:
    # 5,000 Erlang: 15,000 calls of 300 s in 15 minutes.  Checked against the plain recursion
    # and a pure-Python log-sum of Poisson probabilities (no scipy involved).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        n = erlang.required_agents(15_000, 300, 20, 0.8)
        assert n == brute_required(5000.0, 300, 20, 0.8)
        for agents in (4900, 5000, 5050, 5200):
            expected = math.exp(log_erlang_b_sum(5000.0, agents))
            assert erlang.erlang_b(5000.0, agents) == pytest.approx(expected, rel=1e-9)
        sl = erlang.service_level(15_000, 300, n, 20)
        assert 0.8 <= sl < 1
        assert erlang.service_level(15_000, 300, 4999, 20) == 0.0
        assert math.isinf(erlang.asa_s(15_000, 300, 5000))


def test_it_treats_target_zero_as_answered_without_waiting() -> None:
    for n in (11, 13, 20):
        assert erlang.service_level(100, 180, n, 0, 1800) == pytest.approx(
            1 - erlang.prob_wait(100, 180, n, 1800), abs=1e-15
        )
    n = erlang.required_agents(100, 180, 0, 0.8, 1800)
    assert erlang.prob_wait(100, 180, n, 1800) <= 0.2
    assert erlang.prob_wait(100, 180, n - 1, 1800) > 0.2


def test_it_reports_an_unstable_queue_plainly() -> None:
    # 10 Erlang on 10 agents: the queue grows without bound.
    assert erlang.prob_wait(100, 180, 10, 1800) == 1.0
    assert erlang.service_level(100, 180, 10, 20, 1800) == 0.0
    assert math.isinf(erlang.asa_s(100, 180, 10, 1800))
    assert erlang.occupancy(100, 180, 8, 1800) == 1.0


def test_it_returns_scalars_for_scalars_and_arrays_for_arrays() -> None:
    assert isinstance(erlang.required_agents(100, 180, 20, 0.8), int)
    assert isinstance(erlang.service_level(100, 180, 30, 20), float)
    agents = erlang.required_agents(np.array([[100.0, 0.0], [50.0, 200.0]]), 180, 20, 0.8)
    assert agents.shape == (2, 2) and agents.dtype == np.int64
    sl = erlang.service_level([100, 200], 180, [30, 50], 20)
    assert isinstance(sl, np.ndarray) and sl.shape == (2,)


def test_it_rounds_shrinkage_and_occupancy_without_float_noise() -> None:
    # 21 / (1 - 0.3) is 30.000000000000004 in floating point: a naive ceil gives 31.
    assert 21 / (1 - 0.3) > 30
    assert erlang.scheduled_agents(21, 0.3)[()] == 30
    # 21 Erlang at 70 % maximum occupancy: 21 / 0.7 = 30.000000000000004, so 30 agents.
    assert erlang.required_agents(21, 900, 20, 0.0, 900, max_occupancy=0.7) == 30
    assert erlang.required_agents(21, 900, 20, 0.0, 900, max_occupancy=0.7, shrinkage=0.3) == 43


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"sl_target": 1.0}, "sl_target"),
        ({"sl_target": 1.2}, "sl_target"),
        ({"target_s": -1}, "target_s"),
        ({"arrivals": -5}, "arrivals"),
        ({"arrivals": [10, float("nan")]}, "arrivals"),
        ({"aht_s": 0}, "aht_s"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"interval_s": 0}, "interval_s"),
    ],
)
def test_it_rejects_impossible_inputs_naming_the_parameter(
    kwargs: dict[str, object], parameter: str
) -> None:
    args: dict[str, object] = {"arrivals": 100, "aht_s": 180, "target_s": 20, "sl_target": 0.8}
    args.update(kwargs)
    with pytest.raises(StaffingInputError, match=parameter):
        erlang.required_agents(**args)  # type: ignore[call-overload]
    assert issubclass(StaffingInputError, ValueError)


def test_it_rejects_fractional_agents() -> None:
    with pytest.raises(StaffingInputError, match="agents"):
        erlang.service_level(100, 180, 12.5, 20)
