"""facial: an emotion (or a blend) as FACS action units, a rig's blendshapes and a timing curve."""
