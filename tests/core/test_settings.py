"""Configuration from the environment; the production profile passes Django's deploy checks."""

import os
import secrets
import subprocess
import sys


def run_tugi(*args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    env.update({"TUGI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tugi.settings", **env_extra})
    return subprocess.run([sys.executable, "-m", "tugi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_profile_passes_check_deploy_without_warnings(tmp_path):
    result = run_tugi(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"TUGI_SECURE": "true", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "tugi.example.ee"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_tugi("check", env_extra={"TUGI_SECURE": "true"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_unknown_task_backend_is_a_clear_error(tmp_path):
    result = run_tugi("check", env_extra={"TUGI_TASK_BACKEND": "celery"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "TUGI_TASK_BACKEND must be one of" in result.stderr


def test_database_url_selects_the_database(tmp_path):
    result = run_tugi(
        "shell", "-c", "from django.db import connection; print(connection.vendor, connection.settings_dict['NAME'])",
        env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"}, tmp_path=tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == f"sqlite {tmp_path / 'other.sqlite3'}"
