"""The one OpenAPI document of the whole public API, and the pages that show it."""
