"""The answering path: analyse the question, look up records and passages, compose a cited answer or abstain."""
