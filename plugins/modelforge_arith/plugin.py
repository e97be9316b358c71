"""The reference model type `arith`: multi-digit addition and multiplication, column by column."""

from modelforge import hookimpl
from modelforge_arith.model_type import Arith


@hookimpl
def register_model_types(register):
    register(Arith())
