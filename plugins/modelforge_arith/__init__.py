"""modelforge first-party plugin: arith."""
