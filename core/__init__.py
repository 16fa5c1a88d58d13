"""What the ingestion path and the answering path share: settings, the document model, text utilities, dates,
the glossary, and the store. Depends on neither ingest/ nor assistant/."""
