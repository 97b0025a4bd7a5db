"""aiosmtpd handler for the e-mail tests (crates/server/tests/api/epost.rs).

Run as: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_postkasse.Postkasse FOLDER
(with this folder on PYTHONPATH). Each message becomes one JSON file in FOLDER: the headers
decoded (RFC 2047) and the body decoded (quoted-printable/base64) by Python's email package,
plus the raw message. A recipient starting with "afvis" is refused with a permanent 550.
"""
import email
import email.policy
import json
import os
import uuid


class Postkasse:
    def __init__(self, mappe):
        self.mappe = mappe

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Postkasse skal have én mappe")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("afvis"):
            return "550 5.1.1 Modtageren findes ikke"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raa = envelope.original_content or envelope.content
        m = email.message_from_bytes(raa, policy=email.policy.default)
        d = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(m["From"]),
            "to": str(m["To"]),
            "subject": str(m["Subject"]),
            "message_id": str(m["Message-ID"]),
            "content_type": str(m["Content-Type"]),
            "body": m.get_content(),
            "raw": raa.decode("utf-8", "replace"),
        }
        navn = os.path.join(self.mappe, uuid.uuid4().hex)
        with open(navn + ".tmp", "w", encoding="utf-8") as f:
            json.dump(d, f, ensure_ascii=False)
        os.rename(navn + ".tmp", navn + ".json")
        return "250 OK"
