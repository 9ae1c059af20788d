"""The budget round: build every note in parallel and incrementally, the overview page, the
activity files (CSV, XLSX), and the record of what was built from what.
"""
