"""The chat app: chainlit over the same Assistant the CLI uses."""
