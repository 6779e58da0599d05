"""scripts/system_deps.sh, which `make run` and `make test` call first: with a PATH of stand-ins
and font and Chromium paths of our choosing, every decision is seen without uninstalling a thing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "system_deps.sh"
BASH = shutil.which("bash") or "/bin/bash"
CHMOD = shutil.which("chmod") or "/bin/chmod"


def _stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """An empty machine: a bin directory with only `id` (not root), no font, no Chromium."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "id", "echo 1000")
    return {
        "bin": bin_dir,
        "font": tmp_path / "fonts" / "wqy-microhei.ttc",
        "chromium": tmp_path / "chromium",
        "redis": tmp_path / "redis-server",
        "apt_log": tmp_path / "apt.log",
    }


def _run(machine, purpose: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": str(machine["bin"]),
        "CJK_FONT_PATHS": f"/nonexistent/font.ttf, {machine['font']}",
        "CHROMIUM_PATH": str(machine["chromium"]),
        "REDIS_SERVER_PATH": str(machine["redis"]),
        "TMPDIR": str(machine["bin"].parent),
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own script, with arguments of our own
        [BASH, str(SCRIPT), purpose], env=environment, capture_output=True, text=True, timeout=30
    )


def _install_chromium_and_gettext(machine) -> None:
    _stub(machine["bin"], "msgfmt", "exit 0")
    for program in ("chromium", "redis"):
        machine[program].write_text("")
        machine[program].chmod(0o755)


def test_nothing_installed_and_not_root_is_one_message_naming_the_packages(machine):
    done = _run(machine, "test")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "missing: chromium fonts-wqy-microhei gettext redis-server." in lines[0]
    assert "apt-get install -y chromium fonts-wqy-microhei gettext redis-server" in lines[0]


def test_run_does_not_need_chromium(machine):
    done = _run(machine, "run")
    assert done.returncode == 1
    assert "missing: fonts-wqy-microhei gettext." in done.stderr
    assert "chromium" not in done.stderr.split("missing:")[1].split(".")[0]


def test_everything_present_says_nothing(machine):
    _install_chromium_and_gettext(machine)
    machine["font"].parent.mkdir()
    machine["font"].write_bytes(b"font")
    for purpose in ("run", "test"):
        done = _run(machine, purpose)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_only_the_font_missing_names_only_the_font(machine):
    _install_chromium_and_gettext(machine)
    done = _run(machine, "test")
    assert done.returncode == 1
    assert "missing: fonts-wqy-microhei." in done.stderr


def test_root_without_apt_get_cannot_install_and_says_so(machine):
    _stub(machine["bin"], "id", "echo 0")
    done = _run(machine, "test")
    assert done.returncode == 1
    assert "missing: chromium fonts-wqy-microhei gettext redis-server." in done.stderr


def _fake_apt_get(machine) -> None:
    """apt-get that logs its arguments and, on install, puts the files where the script looks."""
    font, chromium, redis, log, bin_dir = (
        machine["font"],
        machine["chromium"],
        machine["redis"],
        machine["apt_log"],
        machine["bin"],
    )
    _stub(
        bin_dir,
        "apt-get",
        f'echo "$*" >> {log}\n'
        f'if [ "$1" = install ]; then\n'
        f"  : > {font}\n"  # the font's directory does not exist: only mkdir could make it
        f'  printf "#!{BASH}\\nexit 0\\n" > {bin_dir}/msgfmt\n'
        f"  : > {chromium}\n"
        f"  : > {redis}; {CHMOD} +x {redis}\n"
        f"fi",
    )


def test_root_with_apt_get_installs_what_is_missing(machine):
    _stub(machine["bin"], "id", "echo 0")
    _fake_apt_get(machine)
    machine["font"].parent.mkdir()
    done = _run(machine, "test")
    calls = machine["apt_log"].read_text().splitlines()
    assert calls == [
        "update -qq",
        "install -y -qq chromium fonts-wqy-microhei gettext redis-server",
    ]
    # The stand-in made msgfmt and the font, but not an executable Chromium: checked again after.
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "did not provide: chromium (apt-get's output is in" in done.stderr


def test_a_failing_apt_get_is_still_one_message(machine):
    _stub(machine["bin"], "id", "echo 0")
    _stub(machine["bin"], "apt-get", 'echo "E: Unable to locate package chromium" >&2\nexit 100')
    done = _run(machine, "test")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "did not provide: chromium fonts-wqy-microhei gettext redis-server" in done.stderr
    log = machine["bin"].parent / "dualtrack-system-deps.log"
    assert "Unable to locate package" in log.read_text()


def test_root_with_apt_get_that_provides_everything_succeeds(machine):
    _stub(machine["bin"], "id", "echo 0")
    _fake_apt_get(machine)
    machine["font"].parent.mkdir()
    machine["chromium"].write_text("")
    machine["chromium"].chmod(0o755)
    done = _run(machine, "run")
    assert done.returncode == 0, done.stderr
    assert "installing the system packages make run needs: fonts-wqy-microhei gettext" in (
        done.stdout
    )
    assert machine["apt_log"].read_text().splitlines()[1] == (
        "install -y -qq fonts-wqy-microhei gettext"
    )


def test_install_can_be_turned_off(machine):
    _stub(machine["bin"], "id", "echo 0")
    _fake_apt_get(machine)
    done = _run(machine, "test", SYSTEM_DEPS_INSTALL="0")
    assert done.returncode == 1
    assert not machine["apt_log"].exists()
    assert "missing: chromium fonts-wqy-microhei gettext redis-server." in done.stderr


def test_an_unknown_purpose_is_a_usage_error(machine):
    done = _run(machine, "deploy")
    assert done.returncode == 64
    assert "usage" in done.stderr
