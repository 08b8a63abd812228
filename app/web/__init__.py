"""The web layer every feature shares: HTTP caching and page versions, security headers,
compression, query arguments and pagination. It imports no feature package."""
