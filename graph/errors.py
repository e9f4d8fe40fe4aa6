"""The exceptions vnpolicy raises on purpose, in one small tree.

``InputError`` is the user's to fix (a file that does not parse, a bad argument): interfaces show
its message and exit or answer 4xx. ``ModelError`` means the project's own ontology or shapes are
broken: a defect of ours, never the user's fault. ``UnsupportedTermError``, an input error, is
data rdflib cannot hold (RDF 1.2 triple terms, directional literals), refused by the term bridge.
"""


class VnpolicyError(Exception):
    """Base of every error vnpolicy raises deliberately."""


class InputError(VnpolicyError):
    """Input that cannot be used as given; the message says what and where."""


class ModelError(VnpolicyError):
    """The ontology, vocabularies or shapes shipped with vnpolicy are broken."""


class UnsupportedTermError(InputError):
    """A term rdflib cannot hold: an RDF 1.2 triple term or a literal with a base direction."""
