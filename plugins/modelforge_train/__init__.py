"""modelforge first-party plugin: the SRL and RLVR trainers."""
