"""The ingestion path: files -> loaders -> screening -> chunks and records -> the store."""
