"""The store runtime, free of HTTP: query workers, query execution, writes and their checks, the
journal of an on-disk store, the external-store client and pool, and publishing."""
