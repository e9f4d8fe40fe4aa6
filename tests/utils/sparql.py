"""Asking the SPARQL endpoint of a server (live or in process) through an ``httpx.Client`` whose
base URL is the server."""

import httpx


def select(client: httpx.Client, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT query, each as {variable: value}."""
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text[:500]
    return [
        {name: term["value"] for name, term in row.items()}
        for row in response.json()["results"]["bindings"]
    ]


def count(client: httpx.Client, query: str) -> int:
    """How many rows ``query`` (a SELECT) has."""
    [row] = select(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {query} }} }}")
    return int(row["n"])


def ask(client: httpx.Client, query: str) -> bool:
    response = client.post(
        "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert response.status_code == 200, response.text[:500]
    answer: bool = response.json()["boolean"]
    return answer
