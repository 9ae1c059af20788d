"""The shipped document kinds: one folder per kind, each with a kind.yaml."""
