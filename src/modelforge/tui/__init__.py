"""The Textual TUI: reads the database the daemon writes and steers it through control requests.

Textual is imported only here and by `modelforge tui`, so the rest of the CLI stays light.
"""
