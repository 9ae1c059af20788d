"""Files on disk: which files are sources, atomic writes, fixed-time zips, a process pool.

Imports nothing of notebuild but the problems; everything else may import it.
"""
