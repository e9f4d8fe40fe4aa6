"""Reading the published dataset from a store: resource descriptions and facts, the overview,
VoID and DCAT, statistics, vocabulary terms, number identification and the query catalogue."""
