"""plant: a species fit for biome, season and terrain, its L-system and its seasonal look."""
