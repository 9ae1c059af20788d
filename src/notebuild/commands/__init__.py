"""The budget-round commands: build, diff, serve, new and schema, one module each."""
