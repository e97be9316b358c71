"""The rules' arithmetic shared by the expert and the verifier: trunk, levels, canopy, wind."""

from __future__ import annotations


def trunk(rules: dict, data: dict) -> dict:
    spec = rules["species"][data["species"]]
    return {
        "height_m": round(min(spec["max_height_m"], spec["growth_m"] * data["age"]), 1),
        "diameter_cm": round(spec["thickening_cm"] * data["age"], 1),
        "bark": spec["bark"],
    }


def levels(rules: dict, age: int) -> int:
    return max(n for threshold, n in rules["branching"]["levels_by_age"] if age >= threshold)


def foliage(rules: dict, data: dict) -> dict:
    spec = rules["species"][data["species"]]
    density = (
        rules["foliage"]["evergreen"]
        if spec["kind"] == "evergreen"
        else rules["foliage"]["deciduous"][data["season"]]
    )
    return {"colour": spec["colours"][data["season"]], "density": density}


def band(rules: dict, wind: float) -> str:
    return [name for name, low in rules["wind"]["bands"] if wind >= low][-1]


def cue(rules: dict, data: dict, density: float) -> str:
    canopy = rules["species"][data["species"]]["canopy"] if density > 0 else "bare"
    return rules["wind"]["cues"][canopy][band(rules, data["wind_ms"])]


def sway(rules: dict, data: dict) -> float:
    flexibility = rules["species"][data["species"]]["flexibility"]
    return round(min(rules["wind"]["max_sway_deg"], flexibility * data["wind_ms"]), 1)
