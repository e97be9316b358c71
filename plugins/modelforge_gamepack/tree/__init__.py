"""tree: trunk, branching levels, seasonal foliage and the ambient sound of the wind in it."""
