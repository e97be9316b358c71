"""`personality`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- threat score = event threat x intensity x (1.5 - courage); low >= 0, medium >= 0.3, high >= 0.6
- emotion' = clamp(emotion + delta x intensity x (1 + factor x (trait - 0.5)), 0, 1), 2 decimals;
  gains: anger/aggression +1, fear/courage -1, joy/charisma, sadness/empathy, trust/empathy +0.5
- the first fitting action by priority: flee 1, attack 2, comfort 3, negotiate 4, reward 5,
  withdraw 6, observe 9; the expert speaks the action's first intent
- tone: the strongest emotion after the update (ties: anger, fear, joy, sadness, trust), neutral
  below 0.3; anger hostile, fear nervous, joy warm, sadness subdued, trust friendly
"""

import copy
import json

import pytest
from modelforge_gamepack.personality.model_type import Personality
from modelforge_train.rewards import outcome_reward

from modelforge.modeltype import Problem

from .handworked import table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


def _traits(aggression, intelligence, charisma, courage, empathy):
    return {
        "aggression": aggression,
        "intelligence": intelligence,
        "charisma": charisma,
        "courage": courage,
        "empathy": empathy,
    }


def _emotions(anger, fear, joy, sadness, trust):
    return {"anger": anger, "fear": fear, "joy": joy, "sadness": sadness, "trust": trust}


def _case(traits, start, event, intensity, threat, valence, after, action, intent, tone):
    data = {
        "npc": "Mara",
        "traits": traits,
        "emotions": start,
        "event": event,
        "intensity": intensity,
    }
    outcome = {
        "appraisal": {"valence": valence, "threat": threat},
        "emotions": after,
        "action": action,
        "intent": intent,
        "tone": tone,
    }
    return data, outcome


CASES = {
    # attacked (threat 0.9; anger +.25, fear +.3, trust -.3) at intensity 1
    # threat 0.9 x 1 x (1.5 - 0.9) = 0.54 -> medium
    # anger .3 + .25 x (1 + (.7 - .5)) = .3 + .3 = .6; fear .1 + .3 x (1 - (.9 - .5)) = .28
    # trust .4 - .3 x (1 + .5 x 0) = .1; flee needs fear >= .55: no; attack: anger .6 >= .55,
    # aggression .7 >= .6, negative: yes -> threaten; strongest anger .6 -> hostile
    "a brave brute attacked hits back": _case(
        _traits(0.7, 0.5, 0.5, 0.9, 0.5),
        _emotions(0.3, 0.1, 0.2, 0.1, 0.4),
        "attacked",
        1.0,
        "medium",
        "negative",
        _emotions(0.6, 0.28, 0.2, 0.1, 0.1),
        "attack",
        "threaten",
        "hostile",
    ),
    # attacked at intensity 1: threat 0.9 x 1 x (1.5 - 0.1) = 1.26 -> high
    # anger .1 + .25 x (1 + (.3 - .5)) = .1 + .2 = .3; fear .3 + .3 x (1 - (.1 - .5)) = .72
    # trust .5 - .3 = .2; flee: fear .72, courage .1 <= .5, threat high -> plead; fear -> nervous
    "a coward attacked flees": _case(
        _traits(0.3, 0.5, 0.5, 0.1, 0.5),
        _emotions(0.1, 0.3, 0.2, 0.0, 0.5),
        "attacked",
        1.0,
        "high",
        "negative",
        _emotions(0.3, 0.72, 0.2, 0.0, 0.2),
        "flee",
        "plead",
        "nervous",
    ),
    # gifted (threat 0; joy +.3, trust +.25, anger -.1) at .8: threat 0 -> low
    # joy .1 + .3 x .8 x (1 + .5 x (.7 - .5)) = .1 + .264 = .36; trust .4 + .25 x .8 = .6
    # anger .2 - .1 x .8 x 1 = .12; reward: trust .6 >= .5, charisma .7 >= .4, positive -> thank
    # strongest trust .6 -> friendly
    "a charmer thanks for a gift": _case(
        _traits(0.5, 0.5, 0.7, 0.5, 0.5),
        _emotions(0.2, 0.0, 0.1, 0.1, 0.4),
        "gifted",
        0.8,
        "low",
        "positive",
        _emotions(0.12, 0.0, 0.36, 0.1, 0.6),
        "reward",
        "thank",
        "friendly",
    ),
    # betrayed (threat .4; trust -.3, anger +.25, sadness +.2) at .5: .4 x .5 x 1 = .2 -> low
    # anger 0 + .25 x .5 x (1 + (.3 - .5)) = .1; sadness .2 + .2 x .5 x (1 + .5 x .4) = .32
    # trust .6 - .3 x .5 x 1.2 = .42; comfort: empathy .9 >= .6, sadness .32 >= .3 -> console
    # strongest trust .42 -> friendly
    "an empath betrayed comforts": _case(
        _traits(0.3, 0.4, 0.4, 0.5, 0.9),
        _emotions(0.0, 0.1, 0.3, 0.2, 0.6),
        "betrayed",
        0.5,
        "low",
        "negative",
        _emotions(0.1, 0.1, 0.3, 0.32, 0.42),
        "comfort",
        "console",
        "friendly",
    ),
    # threatened (threat .7; anger +.15, fear +.3, trust -.15) at .6: .7 x .6 x .8 = .336 -> medium
    # anger .1 + .15 x .6 = .19; fear .1 + .3 x .6 x (1 - .2) = .244 -> .24; trust .5 - .09 = .41
    # negotiate: intelligence .8, charisma .7, negative -> bargain; strongest trust .41 -> friendly
    "a diplomat threatened bargains": _case(
        _traits(0.5, 0.8, 0.7, 0.7, 0.5),
        _emotions(0.1, 0.1, 0.2, 0.1, 0.5),
        "threatened",
        0.6,
        "medium",
        "negative",
        _emotions(0.19, 0.24, 0.2, 0.1, 0.41),
        "negotiate",
        "bargain",
        "friendly",
    ),
    # robbed (threat .3; anger +.2, sadness +.2, trust -.15) at .4: .3 x .4 x 1 = .12 -> low
    # anger .1 + .2 x .4 x .7 = .156 -> .16; sadness .35 + .08 = .43; trust .3 - .06 = .24
    # comfort: empathy .5 < .6; negotiate: intelligence .3; withdraw: sadness .43 >= .4 -> lament
    # strongest sadness .43 -> subdued
    "a loner robbed withdraws": _case(
        _traits(0.2, 0.3, 0.3, 0.5, 0.5),
        _emotions(0.1, 0.1, 0.1, 0.35, 0.3),
        "robbed",
        0.4,
        "low",
        "negative",
        _emotions(0.16, 0.1, 0.1, 0.43, 0.24),
        "withdraw",
        "lament",
        "subdued",
    ),
    # praised (threat 0; joy +.25, trust +.15, sadness -.1) at .4
    # joy 0 + .25 x .4 x (1 + .5 x (.3 - .5)) = .09; trust .1 + .06 = .16
    # sadness 0 - .04 -> clamped to 0; nothing but observe fits -> ask; strongest .16 -> neutral
    "faint praise is only observed": _case(
        _traits(0.5, 0.5, 0.3, 0.5, 0.5),
        _emotions(0.0, 0.0, 0.0, 0.0, 0.1),
        "praised",
        0.4,
        "low",
        "positive",
        _emotions(0.0, 0.0, 0.09, 0.0, 0.16),
        "observe",
        "ask",
        "neutral",
    ),
    # helped (threat .1; trust +.3, joy +.15, fear -.15) at 1: .1 x 1 x 1.2 = .12 -> low
    # trust .2 + .3 x (1 + .5 x .2) = .53; joy .2 + .15 = .35; fear .5 - .15 x 1.2 = .32
    # attack needs a negative event: no; reward: trust .53, charisma .5, positive -> thank
    # strongest trust .53 (anger .5) -> friendly
    "an angry brute helped still thanks": _case(
        _traits(0.9, 0.5, 0.5, 0.3, 0.7),
        _emotions(0.5, 0.5, 0.2, 0.1, 0.2),
        "helped",
        1.0,
        "low",
        "positive",
        _emotions(0.5, 0.32, 0.35, 0.1, 0.53),
        "reward",
        "thank",
        "friendly",
    ),
    # On the thresholds. insulted (threat .3; anger +.3, joy -.1, trust -.2) at 1:
    # .3 x 1 x (1.5 - .5) = .3 -> medium, the threshold itself; anger .22 + .3 x 1.1 = .55 and
    # aggression .6, both at attack's lower bounds -> threaten; joy .2 - .1 = .1; trust .4 - .2
    "an insult on every threshold": _case(
        _traits(0.6, 0.5, 0.5, 0.5, 0.5),
        _emotions(0.22, 0.1, 0.2, 0.1, 0.4),
        "insulted",
        1.0,
        "medium",
        "negative",
        _emotions(0.55, 0.1, 0.1, 0.1, 0.2),
        "attack",
        "threaten",
        "hostile",
    ),
    # gifted at 1: trust .9 + .25 = 1.15 -> clamped to 1; joy 0 + .3 = .3; anger 0 - .1 -> 0;
    # reward: trust 1 at the top of its range -> thank; strongest trust 1 -> friendly
    "a gift to a trusting NPC": _case(
        _traits(0.5, 0.5, 0.5, 0.5, 0.5),
        _emotions(0.0, 0.0, 0.0, 0.1, 0.9),
        "gifted",
        1.0,
        "low",
        "positive",
        _emotions(0.0, 0.0, 0.3, 0.1, 1.0),
        "reward",
        "thank",
        "friendly",
    ),
    # gifted at 1 from nothing: joy .3, exactly neutral_below, is the strongest: warm, not
    # neutral; trust .25 < .5: no reward -> observe
    "a gift to a stranger": _case(
        _traits(0.5, 0.5, 0.5, 0.5, 0.5),
        _emotions(0.0, 0.0, 0.0, 0.1, 0.0),
        "gifted",
        1.0,
        "low",
        "positive",
        _emotions(0.0, 0.0, 0.3, 0.1, 0.25),
        "observe",
        "ask",
        "warm",
    ),
    # betrayed (threat .4) at .3: .4 x .3 x 1 = .12 -> low; fear stays .6 and courage is .5,
    # but flee needs a medium or high threat; anger 0 + .25 x .3 x .8 = .06; sadness
    # .1 + .06 = .16; trust .5 - .09 = .41; nothing else fits -> observe; strongest fear: nervous
    "a frightened NPC and a small betrayal": _case(
        _traits(0.3, 0.3, 0.3, 0.5, 0.5),
        _emotions(0.0, 0.6, 0.1, 0.1, 0.5),
        "betrayed",
        0.3,
        "low",
        "negative",
        _emotions(0.06, 0.6, 0.1, 0.16, 0.41),
        "observe",
        "ask",
        "nervous",
    ),
}


def _drop_emotion(name):
    def mutate(outcome):
        del outcome["emotions"][name]

    return mutate


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(outcome):
        target = outcome
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


WRONG = [
    # fear and courage would do, but the threat is low
    ("a frightened NPC and a small betrayal", _set("action", "flee"), "action-fits"),
    ("a coward attacked flees", _drop_emotion("joy"), "format"),
    # fear .3 -> .8 moves exactly max_delta .5: within bounds, but not the update's .72
    ("a coward attacked flees", _set("emotions", "fear", 0.8), "emotion-update"),
    # .3 reaches medium; low is below it
    ("an insult on every threshold", _set("appraisal", "threat", "low"), "appraisal-threat"),
    ("a gift to a stranger", _set("tone", "neutral"), "tone-fits-emotion"),
    # the clamp forgotten
    ("a gift to a trusting NPC", _set("emotions", "trust", 1.15), "emotion-bounds"),
    # .54 is below the .6 of high
    ("a brave brute attacked hits back", _set("appraisal", "threat", "high"), "appraisal-threat"),
    ("a coward attacked flees", _set("appraisal", "valence", "positive"), "appraisal-valence"),
    # .3 + .25 x 1.4: the trait read the wrong way (.65 is .05 off, tolerance .02)
    ("a brave brute attacked hits back", _set("emotions", "anger", 0.65), "emotion-update"),
    # sadness not clamped: 0 - .04
    ("faint praise is only observed", _set("emotions", "sadness", -0.04), "emotion-bounds"),
    # fear .1 -> .7 moves .6 > max_delta .5
    ("a diplomat threatened bargains", _set("emotions", "fear", 0.7), "emotion-bounds"),
    # aggression .3 < .6
    ("a coward attacked flees", _set("action", "attack"), "action-fits"),
    # observe always fits, but reward (5) comes before it (9)
    ("an angry brute helped still thanks", _set("action", "observe"), "action-priority"),
    # withdraw needs sadness >= .4; it is 0
    ("a coward attacked flees", _set("action", "withdraw"), "action-fits"),
    ("an empath betrayed comforts", _set("action", "dance"), "action-known"),
    # console is comfort's, not reward's
    ("a charmer thanks for a gift", _set("intent", "console"), "intent-fits-action"),
    # anger .5 < trust .53
    ("an angry brute helped still thanks", _set("tone", "hostile"), "tone-fits-emotion"),
    # .16 is below neutral_below .3
    ("faint praise is only observed", _set("tone", "friendly"), "tone-fits-emotion"),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("personality", RULES_VERSION, CASES, WRONG)


def _personality_solution(outcome):
    stages = Personality.stages
    return "".join(
        f"{title}: <think></think>{json.dumps({key: outcome[key] for key in keys})}\n"
        for title, keys in stages
    )


def test_the_rlvr_reward_is_1_only_for_the_hand_worked_right_outcomes():
    personality = Personality()
    reward = outcome_reward(personality, penalty=-2.0)
    for data, outcome in CASES.values():
        problem = json.dumps(Problem("hand-worked", 1, 0, "hand-worked", data).__dict__)
        assert reward([_personality_solution(outcome)], [problem]) == [1.0]
    for name, mutate, _ in WRONG:
        data, outcome = CASES[name]
        wrong = copy.deepcopy(outcome)
        mutate(wrong)
        problem = json.dumps(Problem("hand-worked", 1, 0, "hand-worked", data).__dict__)
        assert reward([_personality_solution(wrong)], [problem]) == [0.0], name
    data, outcome = CASES["a coward attacked flees"]
    problem = json.dumps(Problem("hand-worked", 1, 0, "hand-worked", data).__dict__)
    steps = _personality_solution(outcome).splitlines()
    # the right steps out of order reach no outcome: 0; a line without its monologue: penalty
    assert reward(["\n".join([steps[1], steps[0], *steps[2:]])], [problem]) == [0.0]
    assert reward(["\n".join([steps[0].replace("<think></think>", ""), *steps[1:]])],
                  [problem]) == [-2.0]  # fmt: skip
