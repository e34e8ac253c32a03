"""The package's default data files: lexicons, frame dictionary, actor table, role rules, word lists, model heads.

Nothing here is code; every file is YAML, CSV, JSON or plain text that a study may
replace through its study file.  The defaults are generic (no study's story): the
frames are Semetko & Valkenburg's generic news frames, the targets list and the actor
table are empty.  ``SOURCES.md`` in this folder cites where each list comes from.
Read them through :mod:`alliance_study.resources` (one cache, keyed on the file's version).
"""
