"""The source models (pydantic) that kinds are written in: shared types, field types, finance
tables and the budget note."""
