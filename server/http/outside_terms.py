"""Names for the terms of outside vocabularies the data uses (``dct:title``, ``rdf:type``,
``eli:is_part_of`` …), in both interface languages.

These terms are defined elsewhere and described nowhere in the dataset, so a page names them from
this table (and shows their compact name beside it) and links them to their own IRI, the
vocabulary's documentation — never to ``/resource?uri=``, which has nothing to say about them.
"""

from vnpolicy.graph.namespaces import PREFIX_IRIS

_DCT = PREFIX_IRIS["dct"]
_ELI = PREFIX_IRIS["eli"]
_RDF = PREFIX_IRIS["rdf"]
_RDFS = PREFIX_IRIS["rdfs"]
_SKOS = PREFIX_IRIS["skos"]
_OWL = PREFIX_IRIS["owl"]
_PROV = PREFIX_IRIS["prov"]
_FOAF = PREFIX_IRIS["foaf"]
_ORG = PREFIX_IRIS["org"]
_SCHEMA = PREFIX_IRIS["schema"]

#: IRI → (English, Vietnamese).
NAMES: dict[str, tuple[str, str]] = {
    _RDF + "type": ("type", "loại"),
    _RDF + "value": ("value", "giá trị"),
    _RDF + "subject": ("subject", "chủ ngữ"),
    _RDF + "predicate": ("predicate", "vị ngữ"),
    _RDF + "object": ("object", "tân ngữ"),
    _RDF + "Statement": ("statement", "phát biểu"),
    _RDFS + "label": ("label", "nhãn"),
    _RDFS + "comment": ("comment", "chú thích"),
    _RDFS + "isDefinedBy": ("defined by", "được định nghĩa bởi"),
    _RDFS + "domain": ("domain", "miền"),
    _RDFS + "range": ("range", "miền giá trị"),
    _RDFS + "subClassOf": ("subclass of", "lớp con của"),
    _RDFS + "subPropertyOf": ("subproperty of", "thuộc tính con của"),
    _RDFS + "seeAlso": ("see also", "xem thêm"),
    _DCT + "title": ("title", "tiêu đề"),
    _DCT + "description": ("description", "mô tả"),
    _DCT + "source": ("source", "nguồn"),
    _DCT + "publisher": ("publisher", "nhà xuất bản"),
    _DCT + "language": ("language", "ngôn ngữ"),
    _DCT + "identifier": ("identifier", "mã định danh"),
    _DCT + "license": ("licence", "giấy phép"),
    _DCT + "contributor": ("contributor", "người đóng góp"),
    _DCT + "creator": ("creator", "người tạo"),
    _DCT + "created": ("created", "ngày tạo"),
    _DCT + "modified": ("modified", "ngày sửa đổi"),
    _SKOS + "prefLabel": ("preferred label", "nhãn ưu tiên"),
    _SKOS + "altLabel": ("alternative label", "nhãn thay thế"),
    _SKOS + "hiddenLabel": ("hidden label", "nhãn ẩn"),
    _SKOS + "definition": ("definition", "định nghĩa"),
    _SKOS + "editorialNote": ("editorial note", "ghi chú biên tập"),
    _SKOS + "notation": ("notation", "ký hiệu"),
    _SKOS + "inScheme": ("in scheme", "thuộc bộ từ vựng"),
    _SKOS + "broader": ("broader", "rộng hơn"),
    _SKOS + "topConceptOf": ("top concept of", "khái niệm gốc của"),
    _SKOS + "hasTopConcept": ("has top concept", "có khái niệm gốc"),
    _SKOS + "Concept": ("concept", "khái niệm"),
    _SKOS + "ConceptScheme": ("concept scheme", "bộ từ vựng"),
    _OWL + "Class": ("class", "lớp"),
    _OWL + "ObjectProperty": ("object property", "thuộc tính quan hệ"),
    _OWL + "DatatypeProperty": ("datatype property", "thuộc tính dữ liệu"),
    _OWL + "FunctionalProperty": ("functional property", "thuộc tính hàm"),
    _OWL + "SymmetricProperty": ("symmetric property", "thuộc tính đối xứng"),
    _OWL + "Ontology": ("ontology", "bản thể học"),
    _OWL + "versionInfo": ("version", "phiên bản"),
    _OWL + "versionIRI": ("version IRI", "IRI phiên bản"),
    _PROV + "Entity": ("entity (provenance)", "thực thể (nguồn gốc)"),
    _PROV + "Agent": ("agent (provenance)", "tác nhân (nguồn gốc)"),
    _PROV + "wasDerivedFrom": ("derived from", "được suy ra từ"),
    _FOAF + "name": ("name", "tên"),
    _FOAF + "Person": ("person", "người"),
    _FOAF + "Organization": ("organisation", "tổ chức"),
    _ORG + "Organization": ("organisation", "tổ chức"),
    _ORG + "subOrganizationOf": ("part of organisation", "trực thuộc"),
    _SCHEMA + "Legislation": ("legislation (schema.org)", "văn bản pháp luật (schema.org)"),
    _SCHEMA + "CreativeWork": ("creative work (schema.org)", "tác phẩm (schema.org)"),
    _SCHEMA + "Person": ("person (schema.org)", "người (schema.org)"),
    _ELI + "LegalResource": ("legal resource", "văn bản pháp lý"),
    _ELI + "LegalResourceSubdivision": ("part of a legal resource", "phần của văn bản pháp lý"),
    _ELI + "LegalExpression": ("text of a legal resource", "bản văn của văn bản pháp lý"),
    _ELI + "is_part_of": ("is part of", "là một phần của"),
    _ELI + "realizes": ("realises", "thể hiện"),
    _ELI + "number": ("number", "số"),
    _ELI + "title": ("title", "tiêu đề"),
    _ELI + "id_local": ("local identifier", "mã định danh nội bộ"),
    _ELI + "is_about": ("is about", "về"),
    _ELI + "date_document": ("date of the document", "ngày ban hành"),
    _ELI + "first_date_entry_in_force": ("in force from", "có hiệu lực từ"),
    _ELI + "in_force": ("status", "tình trạng hiệu lực"),
    _ELI + "InForce-inForce": ("in force", "còn hiệu lực"),
    _ELI + "InForce-notInForce": ("not in force", "hết hiệu lực"),
    _ELI + "InForce-partiallyInForce": ("partially in force", "còn hiệu lực một phần"),
    _ELI + "passed_by": ("issued by", "cơ quan ban hành"),
    _ELI + "type_document": ("type of document", "loại văn bản"),
    _ELI + "implements": ("implements", "thực hiện"),
    _ELI + "based_on": ("is based on", "căn cứ"),
    _ELI + "cites": ("cites", "dẫn chiếu"),
    _ELI + "amends": ("amends", "sửa đổi, bổ sung"),
    _ELI + "repeals": ("repeals", "bãi bỏ"),
    _ELI + "changes": ("changes", "thay đổi"),
    _ELI + "related_to": ("related to", "liên quan tới"),
}


def outside_name(uri: str, language: str) -> str | None:
    """The name of an outside term in the page's language, if this table knows it."""
    names = NAMES.get(uri)
    if names is None:
        return None
    return names[1] if language == "vi" else names[0]
