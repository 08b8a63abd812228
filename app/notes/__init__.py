"""Notes: parsing, rendering, importing and the pages that show them."""
