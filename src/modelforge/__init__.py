"""modelforge: train models with SRL then RLVR, as a lifecycle of pluggy stages."""

from modelforge.errors import StageInterrupted, StageSkipped
from modelforge.hookspecs import hookimpl

__all__ = ["StageInterrupted", "StageSkipped", "hookimpl"]
__version__ = "0.1.0"
