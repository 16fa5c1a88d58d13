"""The retrieval path: query analysis -> lexical + dense search -> rank fusion -> hits."""
