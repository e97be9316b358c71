"""building: a shape-grammar derivation from footprint to floors, rooms, openings and facade."""
