"""A throwaway PostgreSQL cluster for the tests (and `make bench`): Debian's initdb/pg_ctl, a unix
socket only."""

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def postgres_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


@dataclass
class Cluster:
    """A running cluster; `url(name)` gives a SQLAlchemy URL for one of its databases."""

    root: Path
    bin_dir: Path
    as_postgres: bool

    @property
    def socket_dir(self) -> Path:
        """The folder holding the server's unix socket."""
        return self.root / "socket"

    def url(self, database: str = "postgres") -> str:
        """A psycopg URL for `database` on this cluster's socket."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        """Run one statement in autocommit (CREATE/DROP DATABASE) and return its rows."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname=database, autocommit=True
        ) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def run(self, program: str, *args: str) -> None:
        """Run one of PostgreSQL's programs, as the postgres user when we are root."""
        command = [str(self.bin_dir / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        try:
            self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """Create and start a cluster in a new temporary folder; the caller stops it."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL's initdb was not found")
    # PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`.
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="studyhall-pg-"))
    (root / "socket").mkdir()
    if as_postgres:
        subprocess.run(["chown", "-R", "postgres:postgres", str(root)], check=True)
    cluster = Cluster(root, bin_dir, as_postgres)
    data = str(root / "data")
    cluster.run(
        "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
    )
    options = (
        f"-k {cluster.socket_dir} -c listen_addresses='' -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
    )
    cluster.run("pg_ctl", "-D", data, "-o", options, "-l", str(root / "server.log"), "-w", "start")
    return cluster
