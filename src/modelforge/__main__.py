"""`python -m modelforge` runs the command line."""

from modelforge.cli import main

main()
