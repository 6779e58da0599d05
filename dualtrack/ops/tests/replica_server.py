"""A real streaming replica of the test database's PostgreSQL server, for the router's tests.

``pg_basebackup`` copies the primary (the server ``DATABASE_URL`` names, test database
included) into a temporary directory, and the copy starts with ``pg_ctl`` on a free port in
5440–5449 as a hot standby streaming from the primary. PostgreSQL refuses to run as root: when
the tests run as root, the copy belongs to the ``postgres`` user and its commands run through
``runuser``.

The primary must accept replication connections from this machine. When it has no
``replication`` line in its ``pg_hba.conf`` and the tests may write that file (root, a local
server trusting local connections: CI's), one line is added for 127.0.0.1 with the method the
primary already trusts local connections with, and the configuration reloaded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

PORTS = range(5440, 5450)
HBA_LINE = "host replication all 127.0.0.1/32 trust  # dualtrack's replica tests\n"


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 5440-5449 for the test replica")


class StreamingReplica:
    def __init__(self, primary: dict[str, Any]) -> None:
        self.primary = primary
        self.host = primary.get("HOST") or "127.0.0.1"
        self.primary_port = int(primary.get("PORT") or 5432)
        self.user = primary.get("USER") or "postgres"
        self.directory = Path(tempfile.mkdtemp(prefix="dualtrack-replica-"))
        self.data = self.directory / "data"
        self.port = 0
        self.bin: Path | None = None

    # --- connections ---------------------------------------------------------------------------
    def _connect_primary(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host, port=self.primary_port, user=self.user, dbname="postgres",
            autocommit=True,
        )  # fmt: skip

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname=dbname, autocommit=True,
            connect_timeout=2,
        )  # fmt: skip

    def url(self, dbname: str) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{dbname}"

    # --- life ----------------------------------------------------------------------------------
    def _binaries(self, major: int) -> Path:
        debian = Path(f"/usr/lib/postgresql/{major}/bin")
        if (debian / "pg_ctl").exists():
            return debian
        found = shutil.which("pg_ctl")
        if found is None:
            raise RuntimeError(f"pg_ctl of PostgreSQL {major} not found")
        return Path(found).parent

    def _allow_replication(self, primary: psycopg.Connection[Any]) -> None:
        rules = primary.execute(
            "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) "
            "AND error IS NULL"
        ).fetchone()
        if rules and rules[0]:
            return
        hba = Path(primary.execute("SHOW hba_file").fetchone()[0])  # type: ignore[index]
        if self.host not in {"127.0.0.1", "localhost"} or not os.access(hba, os.W_OK):
            raise RuntimeError(
                f"the primary refuses replication connections: add {HBA_LINE.split('#')[0]!r} "
                f"to {hba} and reload it"
            )
        with hba.open("a") as file:
            file.write(HBA_LINE)
        primary.execute("SELECT pg_reload_conf()")

    def _base_backup(self, attempts: int = 3) -> None:
        """``pg_basebackup`` of the whole cluster, with a fast checkpoint and no fsync of a copy
        that lives as long as the tests. The suite's other processes create and drop their
        databases meanwhile, and a file that goes between the listing and the copy fails the
        backup: it is taken again (a new backup, into an empty directory)."""
        assert self.bin is not None
        command = _as_owner([
            str(self.bin / "pg_basebackup"), "-h", self.host, "-p", str(self.primary_port),
            "-U", self.user, "-D", str(self.data), "-X", "stream", "-R", "-c", "fast",
            "--no-sync",
        ])  # fmt: skip
        for attempt in range(1, attempts + 1):
            done = subprocess.run(  # noqa: S603 - the server's own binaries, our own arguments
                command, capture_output=True, text=True, timeout=120, check=False
            )
            if done.returncode == 0:
                return
            shutil.rmtree(self.data, ignore_errors=True)
            if attempt == attempts:
                raise RuntimeError(f"pg_basebackup failed {attempts} times: {done.stderr.strip()}")
            time.sleep(1)

    def start(self) -> None:
        with self._connect_primary() as primary:
            self._allow_replication(primary)
            major = int(primary.execute("SHOW server_version_num").fetchone()[0]) // 10000  # type: ignore[index]
            limits = {
                name: primary.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                for name in (
                    "max_connections", "max_worker_processes", "max_wal_senders",
                    "max_prepared_transactions", "max_locks_per_transaction",
                )
            }  # fmt: skip
        self.bin = self._binaries(major)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._base_backup()
        # A free port is probed, then the server binds it: another process (a test's live
        # server) may take it in between, and the start fails; it is tried again on another.
        for attempt in range(1, 4):
            self.port = _free_port()
            self._configure(limits)
            try:
                self.run_ctl("start")
                break
            except subprocess.CalledProcessError:
                log = self.directory / "replica.log"
                if attempt == 3:
                    tail = log.read_text()[-2000:] if log.exists() else ""
                    raise RuntimeError(f"the replica did not start:\n{tail}") from None
        self.wait_for_replay()

    def _configure(self, limits: dict[str, Any]) -> None:
        settings = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.directory}'",
            "hot_standby": "on",
            "hot_standby_feedback": "on",
            "wal_receiver_status_interval": "'1s'",
            "shared_buffers": "'32MB'",
            "fsync": "off",
            **limits,
        }
        conf = "".join(f"{name} = {value}\n" for name, value in settings.items())
        hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        # postgresql.auto.conf (copied from the primary, with -R's primary_conninfo) is read
        # last: the copy's own settings go there too, after whatever the primary's holds (a
        # later attempt's after an earlier one's: the last of a setting counts).
        with (self.data / "postgresql.auto.conf").open("a") as auto:
            auto.write(conf)
        for name, text in (("postgresql.conf", conf), ("pg_hba.conf", hba)):
            (self.data / name).write_text(text)
            if os.geteuid() == 0:
                shutil.chown(self.data / name, "postgres", "postgres")

    def run_ctl(self, action: str) -> None:
        """``pg_ctl start`` or ``stop`` (fast), waiting for it up to five minutes (on a loaded
        machine a standby replays what the primary wrote meanwhile, every test database cloned
        included); a failure says what pg_ctl and the replica's log said (a start once failed in
        CI with nothing to read)."""
        assert self.bin is not None
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "300"]
        if action == "start":
            command += ["-l", str(self.directory / "replica.log"), "start"]
        else:
            command += ["-m", "fast", "stop"]
        done = subprocess.run(_as_owner(command), capture_output=True, text=True, timeout=330)  # noqa: S603
        if done.returncode:
            log = self.directory / "replica.log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(
                f"pg_ctl {action} failed ({done.returncode}): {done.stdout}{done.stderr}\n"
                f"the replica's log ends:\n{tail}"
            )

    def stop(self) -> None:
        """Stop the replica, and make sure nothing answers on its port any more."""
        self.run_ctl("stop")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"the replica stopped, but port {self.port} still answers")

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    # --- replay --------------------------------------------------------------------------------
    def wait_for_replay(self, timeout: float = 30.0) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        with self._connect_primary() as primary:
            # The insert location: the tests' connections commit without waiting for the disk
            # (synchronous_commit off), so a commit may be past the location written so far.
            target = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]  # type: ignore[index]
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect() as replica:
                    done = replica.execute(
                        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                    ).fetchone()
                    if done and done[0]:
                        return
            except psycopg.OperationalError:
                pass  # still starting
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up with the primary")
            time.sleep(0.05)

    def pause_replay(self) -> None:
        with self.connect() as replica:
            replica.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self.connect() as replica:
            replica.execute("SELECT pg_wal_replay_resume()")
