"""Wilson interval maths, and what counts as a significant drop."""

import pytest

from modelforge_evaluate.trend import slope
from modelforge_evaluate.wilson import significantly_below, wilson, z_for


def test_z_for_95_percent():
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize(
    "passed, n, low, high",
    [
        (0, 10, 0.0, 0.2775),  # the interval of a zero count is not [0, 0]
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
        (81, 263, 0.2553, 0.3662),  # Wilson (1927) as tabulated by Newcombe (1998)
    ],
)
def test_known_intervals(passed, n, low, high):
    interval = wilson(passed, n, z_for(0.95))
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


def test_more_samples_narrow_the_interval():
    small, large = wilson(5, 10), wilson(500, 1000)
    assert large.high - large.low < small.high - small.low
    assert small.low < 0.5 < small.high and large.low < 0.5 < large.high


def test_nothing_measured_is_the_whole_range():
    assert (wilson(0, 0).low, wilson(0, 0).high) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_a_drop_inside_the_noise_is_not_significant():
    assert not significantly_below(wilson(7, 10), wilson(9, 10))
    assert significantly_below(wilson(70, 100), wilson(90, 100))
    assert not significantly_below(wilson(0, 0), wilson(9, 10))


def test_slope_per_cycle():
    assert slope([0.9, 0.8, 0.7, 0.6]) == pytest.approx(-0.1)
    assert slope([0.5, 0.5]) == 0
    assert slope([0.5]) is None
