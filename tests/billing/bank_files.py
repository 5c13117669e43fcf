"""Bank files as Norwegian banks deliver them, built by the tests.

- camt054(): an ISO 20022 camt.054.001.02 Bank-to-Customer Debit/Credit Notification with one
  notification (Ntfctn) for the account and one entry (Ntry) per booking; an entry is a single
  payment or a batch (NtryDtls/Btch + several TxDtls), each with its KID in RmtInf/Strd/CdtrRefInf.
- ocr(): a Nets OCR Giro file of 80-character records: start of transmission (10), start of
  assignment (20), per payment amount items 1 (30) and 2 (31), end of assignment (88) and of
  transmission (89), with the counts and totals the end records carry.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


@dataclass
class Tx:
    amount: str
    kid: str = ""
    ref: str = ""
    payer: str = "Kommunekassen"
    text: str = ""


@dataclass
class Entry:
    ref: str
    booked: date
    txs: list[Tx] = field(default_factory=list)
    credit: bool = True


def _tx_xml(tx: Tx, *, with_amount: bool) -> str:
    remittance = (
        f"<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{tx.kid}</Ref>"
        "</CdtrRefInf></Strd></RmtInf>"
        if tx.kid
        else (f"<RmtInf><Ustrd>{tx.text}</Ustrd></RmtInf>" if tx.text else "")
    )
    amount = f'<AmtDtls><TxAmt><Amt Ccy="NOK">{tx.amount}</Amt></TxAmt></AmtDtls>' if with_amount else ""
    return (
        f"<TxDtls><Refs><AcctSvcrRef>{tx.ref}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
        f"{amount}<RltdPties><Dbtr><Nm>{tx.payer}</Nm></Dbtr></RltdPties>{remittance}</TxDtls>"
    )


def camt054(entries: list[Entry], *, account: str = "15037912341", created: str = "2018-03-10T06:00:00") -> bytes:
    body = []
    for entry in entries:
        total = sum(Decimal(t.amount) for t in entry.txs)
        batch = len(entry.txs) > 1
        details = (
            f'<Btch><NbOfTxs>{len(entry.txs)}</NbOfTxs><TtlAmt Ccy="NOK">{total:.2f}</TtlAmt>'
            "<CdtDbtInd>CRDT</CdtDbtInd></Btch>"
            if batch
            else ""
        ) + "".join(_tx_xml(t, with_amount=batch) for t in entry.txs)
        body.append(
            f'<Ntry><NtryRef>{entry.ref}</NtryRef><Amt Ccy="NOK">{total:.2f}</Amt>'
            f"<CdtDbtInd>{'CRDT' if entry.credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>{entry.booked.isoformat()}</Dt></BookgDt><ValDt><Dt>{entry.booked.isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{entry.ref}</AcctSvcrRef>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly></Domn></BkTxCd>"
            f"<NtryDtls>{details}</NtryDtls></Ntry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{CAMT_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>CAMT054-{created[:10]}</MsgId><CreDtTm>{created}</CreDtTm>"
        "</GrpHdr>"
        f"<Ntfctn><Id>NTF-{created[:10]}</Id><CreDtTm>{created}</CreDtTm>"
        f"<Acct><Id><Othr><Id>{account}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy></Acct>"
        + "".join(body)
        + "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


@dataclass
class OcrPayment:
    amount: str
    kid: str
    paid_on: date
    reference: str = "123456789"  # archive reference
    debit_account: str = "12345678903"


def _ocr_date(day: date) -> str:
    return f"{day:%d%m%y}"


def ocr(
    payments: list[OcrPayment],
    *,
    account: str = "15037912341",
    assignment_number: str = "4000086",
    agreement_id: str = "000000000",
    transmission_number: str = "1000081",
) -> bytes:
    records = [f"NY00001000008080{transmission_number}00008080" + "0" * 49]
    records.append(f"NY090020{agreement_id}{assignment_number}{account}" + "0" * 45)
    total = 0
    for number, p in enumerate(payments, start=1):
        ore = int(Decimal(p.amount) * 100)
        total += ore
        records.append(
            f"NY091030{number:07d}{_ocr_date(p.paid_on)}"
            f"01{p.paid_on.day:02d}1{number:05d}0{ore:017d}{p.kid:>25}" + "0" * 6
        )
        records.append(
            f"NY091031{number:07d}{'0' * 10}{p.reference:>9}{'0' * 7}{_ocr_date(p.paid_on)}{p.debit_account}" + "0" * 22
        )
    first = min(p.paid_on for p in payments)
    last = max(p.paid_on for p in payments)
    n = len(payments)
    records.append(
        f"NY090088{n:08d}{2 * n + 2:08d}{total:017d}{_ocr_date(last)}{_ocr_date(first)}{_ocr_date(last)}" + "0" * 21
    )
    records.append(f"NY000089{n:08d}{2 * n + 4:08d}{total:017d}{_ocr_date(last)}" + "0" * 33)
    assert all(len(r) == 80 for r in records), [len(r) for r in records]
    return ("\r\n".join(records) + "\r\n").encode("iso-8859-1")
