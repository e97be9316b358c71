"""Wilson interval maths (the core's, which evaluation and selection share), and what counts as
a significant drop."""

import numpy as np
import pytest

from modelforge.stats import significantly_below, wilson, wilson_bounds, z_for


def test_z_for_95_percent():
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize(
    "passed, n, low, high",
    [
        (0, 10, 0.0, 0.2775),  # the interval of a zero count is not [0, 0]
        (10, 10, 0.7225, 1.0),
        # by hand, z = 1.96, p = 0.5, n = 10: z² = 3.8416; denominator 1 + 3.8416/10 = 1.38416;
        # centre (0.5 + 3.8416/20) / 1.38416 = 0.69208 / 1.38416 = 0.5;
        # spread 1.96 · sqrt(0.25/10 + 3.8416/400) / 1.38416 = 1.96 · sqrt(0.034604) / 1.38416
        #        = 1.96 · 0.186022 / 1.38416 = 0.263410; so 0.5 ∓ 0.2634 = (0.2366, 0.7634)
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


def test_array_bounds_match_the_scalar_interval():
    # selection scores every candidate at once through the same formula
    passed, n = np.array([0, 5, 10, 81, 7]), np.array([10, 10, 10, 263, 9])
    low, high = wilson_bounds(passed, n, 1.96)
    for i in range(len(n)):
        one = wilson(int(passed[i]), int(n[i]), 1.96)
        assert max(0.0, low[i]) == pytest.approx(one.low, abs=1e-12)
        assert min(1.0, high[i]) == pytest.approx(one.high, abs=1e-12)
