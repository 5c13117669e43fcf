"""EHF checked by the published rules: the OASIS UBL 2.1 XSD and the official PEPPOL BIS Billing 3.0 schematron.

The artefacts are vendored unchanged in ``billing/ehf_official/`` (provenance and licences in its README):
the EN 16931 rules bound to UBL (``CEN-EN16931-UBL.sch``) and the PEPPOL rules with the Norwegian ones
(``PEPPOL-EN16931-UBL.sch``). SchXslt turns each ``.sch`` into an XSLT 2.0 stylesheet that writes an SVRL
report; SaxonC-HE (``saxonche``) runs it, because lxml's XSLT is 1.0 only. lxml validates the XSD.

Compiling both rule sets takes about a second, so it happens once per process, on first use (the
generated XSLT is not kept on disk: writing code that is later executed to a shared place is not worth
the 0.2 s it would save). Updating to a later PEPPOL release is replacing the two ``.sch`` files in RULES_DIR.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

OFFICIAL_DIR = Path(__file__).resolve().parent / "ehf_official"
RULES_DIR = OFFICIAL_DIR / "rules" / "peppol-bis-3.0.19"
RULE_SETS = ("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch")
SCHXSLT_DIR = OFFICIAL_DIR / "schxslt-1.10"
UBL_DIR = OFFICIAL_DIR / "ubl-2.1"
EXAMPLES_DIR = OFFICIAL_DIR / "examples"

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_SVRL = "http://purl.oclc.org/dsdl/svrl"
SCHEMAS = {
    f"{{{NS_INVOICE}}}Invoice": UBL_DIR / "maindoc" / "UBL-Invoice-2.1.xsd",
    f"{{{NS_CREDITNOTE}}}CreditNote": UBL_DIR / "maindoc" / "UBL-CreditNote-2.1.xsd",
}
XSD_RULE_ID = "UBL-2.1-XSD"
SYNTAX_RULE_ID = "XML"
SCHEMATRON_RULE_ID = "SCHEMATRON"

FATAL = "fatal"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One failed assert of the official rules (or an XSD error): the rule id, its flag and the official text."""

    rule_id: str
    flag: str  # "fatal" or "warning" (as the rule set says)
    text: str
    location: str = ""

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.text}"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]

    @property
    def fatal(self) -> list[Finding]:
        return [f for f in self.findings if f.flag == FATAL]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.flag != FATAL]

    @property
    def ok(self) -> bool:
        return not self.fatal

    @property
    def rule_ids(self) -> set[str]:
        return {f.rule_id for f in self.findings}


# --- The engine (one per process) --------------------------------------------------------------------------

_lock = threading.RLock()
_engine = None


class _Engine:
    """The Saxon processor, the compiled rule sets and the XSD schemas."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor  # imported here: loading SaxonC costs time at start-up

        self.processor = PySaxonProcessor(license=False)
        self.xslt = self.processor.new_xslt30_processor()
        pipeline = self.xslt.compile_stylesheet(stylesheet_file=str(SCHXSLT_DIR / "pipeline-for-svrl.xsl"))
        self.rule_sets = []
        for name in RULE_SETS:
            stylesheet = pipeline.transform_to_string(source_file=str(RULES_DIR / name))
            self.rule_sets.append((name, self.xslt.compile_stylesheet(stylesheet_text=stylesheet)))
        self.schemas = {root: etree.XMLSchema(etree.parse(str(path))) for root, path in SCHEMAS.items()}


def engine() -> _Engine:
    global _engine
    with _lock:
        if _engine is None:
            _engine = _Engine()
        return _engine


# --- Validation -----------------------------------------------------------------------------------------------


def _svrl_findings(svrl: str) -> list[Finding]:
    root = etree.fromstring(svrl.encode("utf-8"))
    findings = []
    for node in root.iter(f"{{{NS_SVRL}}}failed-assert", f"{{{NS_SVRL}}}successful-report"):
        text = " ".join((node.findtext(f"{{{NS_SVRL}}}text") or "").split())
        findings.append(
            Finding(
                rule_id=node.get("id") or "",
                flag=FATAL if (node.get("flag") or FATAL) in (FATAL, "error") else WARNING,
                text=text,
                location=node.get("location") or "",
            )
        )
    return findings


def validate(xml: bytes) -> Report:
    """Every finding of the UBL 2.1 XSD and both official rule sets for one EHF document."""
    from saxonche import PySaxonApiError

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        doc = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        return Report((Finding(SYNTAX_RULE_ID, FATAL, str(exc)),))
    eng = engine()
    schema = eng.schemas.get(doc.tag)
    if schema is None:
        return Report((Finding(XSD_RULE_ID, FATAL, f"{doc.tag} is neither a UBL 2.1 Invoice nor a CreditNote"),))
    findings = []
    with _lock:
        if not schema.validate(doc):
            findings += [Finding(XSD_RULE_ID, FATAL, e.message, f"line {e.line}") for e in schema.error_log]
        try:
            node = eng.processor.parse_xml(xml_text=etree.tostring(doc, encoding="unicode"))
            for _name, executable in eng.rule_sets:
                findings += _svrl_findings(executable.transform_to_string(xdm_node=node))
        except PySaxonApiError as exc:  # a rule's XPath failed on this document: refuse, do not guess
            findings.append(Finding(SCHEMATRON_RULE_ID, FATAL, str(exc)))
    return Report(tuple(findings))
