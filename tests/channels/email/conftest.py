"""Email channel fixtures: real servers (aiosmtpd on port 0, Debian's dovecot) and raw mail builders."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tests.factories import make_department
from tests.system_deps import require_system

DOVECOT = "/usr/sbin/dovecot"


def build_mail(
    *,
    sender: str = "Casey Customer <casey@client.test>",
    to: str = "help@acme.test",
    cc: str = "",
    subject: str = "The app crashes on start",
    body: str = "Hello, the app crashes when I open it.",
    html: str = "",
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> bytes:
    """A raw email as a customer's client would send it."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(domain="client.test")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, content, ctype in attachments:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


@pytest.fixture
def department(db):
    """The support department reached at help@acme.test."""
    dept = make_department(name="Acme Support", address="help@acme.test")
    dept.from_name = "Acme Support"
    dept.save()
    return dept


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Captured:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes


@dataclass
class SmtpSink:
    """A real SMTP server capturing what Comptoir sends."""

    host: str
    port: int
    messages: list[Captured] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Captured]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


class _CaptureHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        self.sink.messages.append(Captured(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 OK"


class _PortZeroController(Controller):
    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:
    """aiosmtpd on a free port; Django's SMTP backend points at it."""
    sink = SmtpSink("127.0.0.1", 0)
    controller = _PortZeroController(_CaptureHandler(sink), hostname="127.0.0.1", port=0)
    controller.start()
    sink.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str


def _dovecot_config(root: Path, port: int, uid: int, gid: int, login_user: str, internal_user: str) -> str:
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
"""


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A real IMAP server (Debian's dovecot) with one mailbox user, on a free port.

    Runs from a short private temp directory (dovecot's unix sockets need short
    paths); skipped when dovecot is not installed, failed if CI is set (tests/system_deps.py).
    """
    if not os.path.exists(DOVECOT):
        require_system("dovecot", f"no executable at {DOVECOT} (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="cptdv-"))
    os.chmod(root, 0o755)
    if os.getuid() == 0:
        try:
            account = pwd.getpwnam("dovecot")
        except KeyError:
            require_system("dovecot", "no dovecot system user (apt-get install dovecot-imapd)")
        uid, gid, login_user, internal_user = account.pw_uid, account.pw_gid, "dovenull", "dovecot"
    else:
        me = pwd.getpwuid(os.getuid())
        uid, gid, login_user, internal_user = me.pw_uid, me.pw_gid, me.pw_name, me.pw_name
    (root / "mail").mkdir()
    os.chown(root / "mail", uid, gid) if os.getuid() == 0 else None
    server = Dovecot("127.0.0.1", free_port(), "help@acme.test", "imap-secret")
    (root / "users").write_text(f"{server.user}:{{PLAIN}}{server.password}\n")
    (root / "dovecot.conf").write_text(_dovecot_config(root, server.port, uid, gid, login_user, internal_user))
    proc = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((server.host, server.port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                    require_system("dovecot", f"it did not start: {proc.stderr.read().decode() if proc.stderr else ''} {log[-500:]}")
                time.sleep(0.05)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class FileDatabase:
    """A migrated SQLite file for tests that run `comptoir` in subprocesses."""

    path: Path
    data_dir: Path

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": "",
            "COMPTOIR_SQLITE_PATH": str(self.path),
            "COMPTOIR_DATA_DIR": str(self.data_dir),
            "COMPTOIR_HUEY_IMMEDIATE": "false",
            "REDIS_URL": "",
            "COMPTOIR_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        })
        return env

    def comptoir(self, *args: str, stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "comptoir", *args], input=stdin, env=self.env(),
                              capture_output=True, timeout=timeout, cwd=REPO_ROOT)

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchall()


REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("email-template-db")
    db = FileDatabase(root / "template.sqlite3", root)
    result = db.comptoir("migrate", "-v0", timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    with sqlite3.connect(db.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.path


@pytest.fixture
def file_db(_migrated_template, tmp_path) -> FileDatabase:
    """A fresh copy of a migrated SQLite database file, private to the test."""
    path = tmp_path / "comptoir.sqlite3"
    shutil.copy(_migrated_template, path)
    return FileDatabase(path, tmp_path)


@pytest.fixture
def smtpd(department):
    """Comptoir's own SMTP intake (`comptoir smtpd`) on a free port, for the tests that mail it."""
    from comptoir.channels.email.smtp_server import IntakeController, IntakeHandler

    controller = IntakeController(IntakeHandler(), hostname="127.0.0.1", port=0, data_size_limit=200_000)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
