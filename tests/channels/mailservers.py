"""Real mail servers for the channel tests and the benchmark: a Dovecot of its own (IMAP, and LMTP
when Debian's dovecot-lmtpd is there) on free loopback ports with its config, users, mail and logs
in a temporary directory, and swaks as the sending client."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
DOVECOT_LMTP = "/usr/lib/dovecot/lmtp"
SWAKS = "/usr/bin/swaks"
USER, PASSWORD = "tugi", "mailbox-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@dataclass(frozen=True)
class Dovecot:
    directory: Path
    imap_port: int
    lmtp_port: int | None  # None without dovecot-lmtpd
    user: str = USER
    password: str = PASSWORD

    def url(self, folder: str = "INBOX", **query: str) -> str:
        """The mailbox as TUGI_IMAP_MAILBOXES takes it."""
        rest = "&".join(f"{key}={value}" for key, value in query.items())
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.imap_port}/{folder}" + (f"?{rest}" if rest else "")

    def log(self) -> str:
        path = self.directory / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _users() -> tuple[str, str, str]:
    """Dovecot's login processes refuse to run as root: as root, its own Debian users serve."""
    if os.getuid() == 0:
        return "dovecot", "dovenull", "dovecot"
    me = pwd.getpwuid(os.getuid()).pw_name
    return me, me, me


@contextmanager
def dovecot_running(folders: tuple[str, ...] = ("Processed",)) -> Iterator[Dovecot]:
    """Start Dovecot in the foreground on free ports and stop it afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="tugi-dovecot-"))
    directory.chmod(0o755)  # the login and mail users must reach their sockets and the mail
    internal, login, mail_user = _users()
    pw = pwd.getpwnam(mail_user)
    (directory / "mail").mkdir()
    (directory / "state").mkdir()
    if os.getuid() == 0:
        os.chown(directory / "mail", pw.pw_uid, pw.pw_gid)
    (directory / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::{directory}/mail/{USER}::\n")
    imap_port = free_port()
    lmtp_port = free_port() if Path(DOVECOT_LMTP).exists() else None
    mailboxes = "\n".join(f"  mailbox {name} {{\n    auto = create\n  }}" for name in folders)
    lmtp = f"""
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
  unix_listener lmtp {{
    mode = 0600
  }}
}}""" if lmtp_port else ""
    (directory / "dovecot.conf").write_text(f"""
protocols = imap{" lmtp" if lmtp_port else ""}
listen = 127.0.0.1
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Ln
mail_location = maildir:{directory}/mail/%u/Maildir
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
mail_uid = {pw.pw_uid}
mail_gid = {pw.pw_gid}
first_valid_uid = {pw.pw_uid}
first_valid_gid = {pw.pw_gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {directory}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%n {directory}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
{lmtp}
namespace inbox {{
  inbox = yes
{mailboxes}
}}
""")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(directory / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        try:
            wait_for_port(imap_port)
            if lmtp_port:
                wait_for_port(lmtp_port)
        except TimeoutError as error:
            process.kill()
            _out, err = process.communicate(timeout=5)
            log = directory / "dovecot.log"
            raise RuntimeError(f"Dovecot did not start: {err.decode(errors='replace')}\n"
                               f"{log.read_text(errors='replace') if log.exists() else ''}") from error
        yield Dovecot(directory, imap_port, lmtp_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def swaks(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Send with swaks; the transcript is in stdout."""
    return subprocess.run([SWAKS, "--hide-informational", *args], capture_output=True, text=True, timeout=timeout)
