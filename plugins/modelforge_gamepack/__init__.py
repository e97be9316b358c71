"""modelforge first-party plugin pack: the seven game model types of the plan."""
