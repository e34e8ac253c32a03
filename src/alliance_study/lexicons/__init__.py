"""Data files: lexicons, frame dictionary, actor table, role rules, stopwords.

Nothing here is code; every file is YAML, CSV or plain text that a study may
replace.  ``SOURCES.md`` in this folder cites where each list comes from.
"""
