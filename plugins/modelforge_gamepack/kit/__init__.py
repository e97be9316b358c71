"""What the pack's seven types share: the step line, the staged type, the rule checks."""
