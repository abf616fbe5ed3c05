"""The SQLite cache of a report folder: schema, indexing, queries and full-text search. No Qt."""
