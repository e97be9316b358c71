"""sound: a sound request as synthesis parameters within its category's and mood's rules."""
