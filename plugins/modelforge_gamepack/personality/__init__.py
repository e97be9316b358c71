"""personality: an NPC appraises an event, updates its emotions, acts and speaks in character."""
