"""The two commands a new user runs: `make test` does not skip what it cannot run unnoticed,
and `make run` says each thing once."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
needs_make = pytest.mark.skipif(not shutil.which("make"), reason="GNU make is not installed")


def make(*args):
    return subprocess.run(
        ["make", "-s", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@needs_make
def test_make_test_without_chromium_stops_with_the_command_that_installs_it():
    # where it cannot install it (no apt-get here, as for a user who is not root)
    result = make("browser", "CHROMIUM=/nowhere/chromium", "APT_GET=no-such-apt-get")
    assert result.returncode != 0
    assert "sudo apt-get install chromium" in result.stdout
    assert "make test SKIP_BROWSER=1" in result.stdout


@needs_make
def test_make_test_skips_the_browser_only_when_asked():
    result = make("browser", "CHROMIUM=/nowhere/chromium", "SKIP_BROWSER=1")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_make
def test_make_run_runs_the_worker_without_a_second_autoreloader():
    assert "db_worker --no-reload" in make("-n", "run").stdout


def test_browser_tests_skipped_on_purpose_say_so():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/browser/test_shell.py::test_the_login_page_and_district_page_fit_a_phone",
        ],
        cwd=ROOT,
        env={**os.environ, "SKIP_BROWSER": "1", "REQUIRE_BROWSER": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "skipped on purpose" in result.stdout


def test_a_page_not_found_is_logged_once():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('django.request').warning('Not Found: %s', '/nowhere')",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sammachip.settings", "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr.count("Not Found: /nowhere") == 1, result.stderr
