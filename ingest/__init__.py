"""ofsted-kg ingest: read -> normalise -> classify -> parse -> map -> validate -> reason -> store."""
