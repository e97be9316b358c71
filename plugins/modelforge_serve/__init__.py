"""`modelforge serve`: an OpenAI-compatible server for trained local models and peft adapters."""
