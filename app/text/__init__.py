"""Pure text processing: Markdown to safe HTML. No Flask, no database."""
