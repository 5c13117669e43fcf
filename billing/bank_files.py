"""Incoming payments as the bank delivers them: ISO 20022 camt.054 XML and Nets OCR Giro files.

Both become a list of BankPayment (amount in Decimal kroner, date, KID, the bank's own reference)
or a BankFileError listing what is wrong by line (OCR) or entry (camt.054); a file is read whole
or not at all.

camt.054 ("Bank-to-Customer Debit/Credit Notification") is read with lxml by its namespace (any
``urn:iso:std:iso:20022:tech:xsd:camt.054.001.NN`` version; Norwegian banks deliver .001.02 and
.001.08). The ISO 20022 schema is not vendored: no copy could be brought into the project under
its terms, so the parser checks every element it uses and refuses what it does not understand.
One notification entry (Ntry) is either a single payment or a batch of several (NtryDtls/TxDtls);
each transaction with a structured creditor reference (RmtInf/Strd/CdtrRefInf/Ref) carries the KID.

OCR Giro is parsed by ``netsgiro`` (transmission, assignment and transaction records, with its
own checks of record counts and totals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

CAMT054_NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.054.001."

CAMT054 = "camt.054"
OCR = "ocr"


@dataclass(frozen=True)
class BankPayment:
    """One incoming payment of a bank file."""

    where: str  # "entry 2, transaction 3" or "line 5": where the treasurer finds it in the file
    bank_reference: str  # unique per payment at the bank (AcctSvcrRef; OCR: account, assignment, transaction)
    amount: Decimal
    paid_on: date
    kid: str = ""
    payer: str = ""
    text: str = ""  # free-text remittance when there is no KID
    currency: str = "NOK"


@dataclass
class BankFile:
    format: str
    account: str = ""  # the account credited, as the file gives it (BBAN or IBAN)
    payments: list[BankPayment] = field(default_factory=list)


class BankFileError(Exception):
    """The file cannot be read; `errors` lists each problem with its line or entry."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def detect_format(data: bytes) -> str | None:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if head.startswith(b"<"):
        return CAMT054 if b"camt.054" in head else None
    if head.startswith(b"NY"):
        return OCR
    return None


def parse(data: bytes) -> BankFile:
    kind = detect_format(data)
    if kind == CAMT054:
        return parse_camt054(data)
    if kind == OCR:
        return parse_ocr(data)
    raise BankFileError([_("Filen er verken camt.054 (XML) eller OCR Giro.")])


# --- camt.054 -----------------------------------------------------------------------------------------------


def _local(node) -> str:
    return etree.QName(node).localname


def parse_camt054(data: bytes) -> BankFile:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BankFileError([f"XML: {exc}"]) from exc
    ns = etree.QName(root).namespace or ""
    if _local(root) != "Document" or not ns.startswith(CAMT054_NS_PREFIX):
        raise BankFileError([_("Ikke en camt.054-melding (%(kind)s).") % {"kind": ns or _local(root)}])
    n = {"c": ns}
    notification = root.find("c:BkToCstmrDbtCdtNtfctn", n)
    if notification is None:
        raise BankFileError([_("camt.054 uten BkToCstmrDbtCdtNtfctn.")])
    result = BankFile(format=CAMT054)
    errors: list[str] = []
    entry_no = 0
    for ntfctn in notification.findall("c:Ntfctn", n):
        account = ntfctn.findtext("c:Acct/c:Id/c:IBAN", namespaces=n) or ntfctn.findtext(
            "c:Acct/c:Id/c:Othr/c:Id", namespaces=n
        )
        if account and not result.account:
            result.account = account.strip()
        for entry in ntfctn.findall("c:Ntry", n):
            entry_no += 1
            _camt_entry(entry, entry_no, n, result, errors)
    if errors:
        raise BankFileError(errors)
    return result


def _camt_amount(node, where: str, errors: list[str]) -> tuple[Decimal, str] | None:
    if node is None or not (node.text or "").strip():
        errors.append(_("%(where)s: mangler beløp (Amt).") % {"where": where})
        return None
    try:
        amount = Decimal(node.text.strip())
    except InvalidOperation:
        errors.append(_("%(where)s: ugyldig beløp «%(value)s».") % {"where": where, "value": node.text.strip()})
        return None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        errors.append(_("%(where)s: ugyldig beløp «%(value)s».") % {"where": where, "value": node.text.strip()})
        return None
    return amount, (node.get("Ccy") or "").strip()


def _camt_date(entry, n, where: str, errors: list[str]) -> date | None:
    for path in ("c:BookgDt/c:Dt", "c:BookgDt/c:DtTm", "c:ValDt/c:Dt", "c:ValDt/c:DtTm"):
        text = (entry.findtext(path, namespaces=n) or "").strip()
        if text:
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                errors.append(_("%(where)s: ugyldig dato «%(value)s».") % {"where": where, "value": text})
                return None
    errors.append(_("%(where)s: mangler bokføringsdato (BookgDt).") % {"where": where})
    return None


def _camt_entry(entry, entry_no: int, n: dict, result: BankFile, errors: list[str]) -> None:
    where = _("post %(entry)s") % {"entry": entry_no}
    if (entry.findtext("c:CdtDbtInd", namespaces=n) or "").strip() != "CRDT":
        return  # a debit is not an incoming payment
    if (entry.findtext("c:RvslInd", namespaces=n) or "").strip().lower() == "true":
        return  # a reversal of an earlier entry: handled by hand at the bank
    # camt.054.001.02 writes <Sts>BOOK</Sts>, later versions <Sts><Cd>BOOK</Cd></Sts>.
    status_code = (entry.findtext("c:Sts/c:Cd", namespaces=n) or entry.findtext("c:Sts", namespaces=n) or "").strip()
    if status_code and status_code != "BOOK":
        return  # pending or information only
    paid_on = _camt_date(entry, n, where, errors)
    entry_amount = _camt_amount(entry.find("c:Amt", n), where, errors)
    entry_ref = (entry.findtext("c:AcctSvcrRef", namespaces=n) or "").strip()
    transactions = entry.findall("c:NtryDtls/c:TxDtls", n)
    if paid_on is None or entry_amount is None:
        return
    if not transactions:
        if not entry_ref:
            errors.append(_("%(where)s: mangler bankens referanse (AcctSvcrRef).") % {"where": where})
            return
        result.payments.append(
            BankPayment(
                where=where, bank_reference=entry_ref, amount=entry_amount[0], paid_on=paid_on, currency=entry_amount[1]
            )
        )
        return
    total = Decimal("0")
    for tx_no, tx in enumerate(transactions, start=1):
        tx_where = (
            _("%(where)s, transaksjon %(number)s") % {"where": where, "number": tx_no}
            if len(transactions) > 1
            else where
        )
        amount = tx.find("c:AmtDtls/c:TxAmt/c:Amt", n)
        if amount is None:
            amount = tx.find("c:Amt", n)
        if amount is None and len(transactions) == 1:
            amount = entry.find("c:Amt", n)
        parsed = _camt_amount(amount, tx_where, errors)
        reference = (tx.findtext("c:Refs/c:AcctSvcrRef", namespaces=n) or "").strip()
        if not reference and len(transactions) == 1:
            reference = entry_ref
        if not reference:
            errors.append(_("%(where)s: mangler bankens referanse (AcctSvcrRef).") % {"where": tx_where})
            continue
        if parsed is None:
            continue
        total += parsed[0]
        kids = [
            (ref.text or "").strip()
            for ref in tx.findall("c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", n)
            if (ref.text or "").strip()
        ]
        payer = tx.findtext("c:RltdPties/c:Dbtr/c:Nm", namespaces=n) or tx.findtext(
            "c:RltdPties/c:Dbtr/c:Pty/c:Nm", namespaces=n
        )
        text = " ".join(u.text.strip() for u in tx.findall("c:RmtInf/c:Ustrd", n) if u.text)
        result.payments.append(
            BankPayment(
                where=tx_where,
                bank_reference=reference,
                amount=parsed[0],
                paid_on=paid_on,
                kid=kids[0] if kids else "",
                payer=(payer or "").strip(),
                text=text,
                currency=parsed[1],
            )
        )
    if len(transactions) > 1 and total != entry_amount[0]:
        errors.append(
            _("%(where)s: transaksjonene summerer til %(sum)s, posten er på %(amount)s.")
            % {"where": where, "sum": total, "amount": entry_amount[0]}
        )


# --- OCR Giro -------------------------------------------------------------------------------------------------


def parse_ocr(data: bytes) -> BankFile:
    import netsgiro
    from netsgiro.records import parse as parse_records

    try:
        text = data.decode("iso-8859-1")
    except UnicodeDecodeError as exc:  # pragma: no cover - every byte decodes in latin-1
        raise BankFileError([str(exc)]) from exc
    lines = [line for line in text.splitlines() if line.strip()]
    errors = []
    for number, line in enumerate(lines, start=1):
        if len(line.rstrip("\r")) != 80:
            errors.append(
                _("linje %(line)s: %(length)s tegn, en OCR-post har 80.") % {"line": number, "length": len(line)}
            )
        else:
            try:
                parse_records(line)
            except ValueError as exc:
                errors.append(_("linje %(line)s: %(error)s") % {"line": number, "error": exc})
    if errors:
        raise BankFileError(errors)
    try:
        transmission = netsgiro.parse("\n".join(lines))
    except (ValueError, AssertionError, IndexError, TypeError) as exc:
        raise BankFileError([_("OCR-fil: %(error)s") % {"error": exc or type(exc).__name__}]) from exc
    result = BankFile(format=OCR)
    line_no = 1  # the start-of-transmission record
    for assignment in transmission.assignments:
        line_no += 1  # start of assignment
        if assignment.service_code != netsgiro.ServiceCode.OCR_GIRO:
            raise BankFileError(
                [
                    _("linje %(line)s: oppdraget er ikke innbetalinger (OCR Giro), men %(kind)s.")
                    % {"line": line_no, "kind": assignment.service_code.name}
                ]
            )
        if not result.account:
            result.account = assignment.account or ""
        for transaction in assignment.transactions:
            line_no += 1
            where = _("linje %(line)s") % {"line": line_no}
            line_no += 2 if getattr(transaction, "text", None) else 1  # amount items 2 (and 3)
            if transaction.amount <= 0:
                errors.append(_("%(where)s: beløpet er %(amount)s.") % {"where": where, "amount": transaction.amount})
                continue
            result.payments.append(
                BankPayment(
                    where=where,
                    bank_reference=f"OCR {assignment.account} {assignment.number} {transaction.number}",
                    amount=Decimal(transaction.amount).quantize(Decimal("0.01")),
                    paid_on=transaction.date,
                    kid=(transaction.kid or "").strip(),
                    payer=(transaction.payer_name or "").strip() if hasattr(transaction, "payer_name") else "",
                    text=(transaction.text or "").strip(),
                )
            )
        line_no += 1  # end of assignment
    if errors:
        raise BankFileError(errors)
    return result
