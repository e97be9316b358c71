"""What the generate plugin lets others read (see modelforge.contracts): how many new
examples a generate stage stored."""

from __future__ import annotations

from modelforge.contracts import Contract

GENERATED_KEY = "generated"

CONTRACT = Contract(result_keys={"examples_generated": GENERATED_KEY})
