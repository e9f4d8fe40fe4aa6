"""The HTTP application: routes only, one router per wing, with negotiation, errors, caching and
the pages' templates and static files."""
