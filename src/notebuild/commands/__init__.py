"""The commands behind the click CLI (cli.py): check and render runs, build, diff, serve, new,
schema, import and fix, one module each. Only here (and in cli.py) is anything printed.
"""
