"""The `sound` verifier: category, a possible envelope for the mood, band, layers, mix."""

from __future__ import annotations

from modelforge_gamepack.kit.checks import flag, items, mapping, number, require, text
from modelforge_gamepack.sound.procedure import ENVELOPE_TIMES

ENVELOPE_KEYS = (*ENVELOPE_TIMES, "sustain")


def check_category(rules: dict, data: dict, outcome: dict) -> None:
    want = rules["subjects"][data["subject"]]["category"]
    got = text(outcome["category"], "category")
    require(got == want, "category", f"{data['subject']} is a {want} sound, not {got!r}")
    require(outcome["mood"] == data["mood"], "category", f"the mood asked for is {data['mood']}")


def check_envelope(rules: dict, data: dict, outcome: dict) -> None:
    got = mapping(outcome["envelope"], "envelope")
    require(
        set(got) == set(ENVELOPE_KEYS), "format", f"the envelope has {', '.join(ENVELOPE_KEYS)}"
    )
    values = {key: number(got[key], key) for key in ENVELOPE_KEYS}
    require(
        all(values[part] >= 0 for part in ENVELOPE_TIMES) and 0 <= values["sustain"] <= 1,
        "envelope-range",
        "times are >= 0 ms and sustain is a level in [0, 1]",
    )
    total = sum(values[part] for part in ENVELOPE_TIMES)
    require(
        total <= data["duration_ms"],
        "envelope-duration",
        f"attack + decay + release is {total:g} ms, longer than {data['duration_ms']} ms",
    )
    mood = rules["moods"][data["mood"]]
    for key in ENVELOPE_KEYS:
        low, high = mood[key]
        require(
            low <= values[key] <= high,
            "envelope-mood",
            f"a {data['mood']} {key} lies in [{low}, {high}], not {values[key]:g}",
        )


def check_band(rules: dict, data: dict, outcome: dict) -> None:
    band = mapping(outcome["band"], "band")
    require(set(band) == {"low_hz", "high_hz"}, "format", "the band has low_hz and high_hz")
    low, high = number(band["low_hz"], "low_hz"), number(band["high_hz"], "high_hz")
    require(20 <= low < high <= 20000, "band-order", f"{low:g}-{high:g} Hz is no audible band")
    lo, hi = rules["subjects"][data["subject"]]["band_hz"]
    require(
        lo <= low and high <= hi,
        "band-subject",
        f"{data['subject']} lives in {lo}-{hi} Hz, not {low:g}-{high:g}",
    )


def check_layers(rules: dict, data: dict, outcome: dict) -> None:
    layers = [text(layer, "a layer") for layer in items(outcome["layers"], "layers")]
    subject = rules["subjects"][data["subject"]]
    mood = rules["moods"][data["mood"]]
    family = rules["category_rules"][subject["category"]]
    require(subject["core"] in layers, "layers-core", f"{data['subject']} needs {subject['core']}")
    missing = sorted(set(mood["layers"]) - set(layers))
    require(not missing, "layers-mood", f"{data['mood']} needs {', '.join(missing)}")
    known = {subject["core"], *mood["layers"], *family["extras"]}
    strange = sorted(set(layers) - known)
    require(not strange, "layers-known", f"{', '.join(strange)} does not belong here")
    require(
        len(layers) <= family["max_layers"] and len(set(layers)) == len(layers),
        "layers-count",
        f"at most {family['max_layers']} distinct layers",
    )


def check_mix(rules: dict, data: dict, outcome: dict) -> None:
    subject = rules["subjects"][data["subject"]]
    mood = rules["moods"][data["mood"]]
    loops = rules["category_rules"][subject["category"]]["loops"] and not mood.get("never_loops")
    require(
        flag(outcome["loop"], "loop") == loops,
        "loop-rule",
        f"a {data['mood']} {subject['category']} sound {'loops' if loops else 'does not loop'}",
    )
    low, high = mood["lufs"]
    lufs = number(outcome["lufs"], "lufs")
    require(low <= lufs <= high, "loudness-mood", f"{data['mood']} sits at {low} to {high} LUFS")


CHECKS = {
    "category": check_category,
    "envelope": check_envelope,
    "band": check_band,
    "layers": check_layers,
    "mix": check_mix,
}
