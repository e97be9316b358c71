"""animal: activity, locomotion, a behaviour plan and interactions for a creature in a scene."""
