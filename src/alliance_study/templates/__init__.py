"""Files ``alliance-study init`` copies into a new study: study.yaml, README.md, an example corpus and target."""
