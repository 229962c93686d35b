"""deploy/: the files an operator installs agree with the settings they sit in front of."""

import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
MB = 1024 * 1024


def test_nginx_body_limit_is_djangos_and_lets_the_largest_upload_through():
    site = (DEPLOY / "nginx" / "talentdesk.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", site).group(1)) * MB
    assert limit == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit > settings.TALENTDESK_UPLOAD_MAX_BYTES


def test_nginx_sets_the_headers_django_and_the_rate_limiter_read():
    site = (DEPLOY / "nginx" / "talentdesk.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Request-Id $request_id;" in site
    env = (DEPLOY / "env.example").read_text()
    assert "\nTRUSTED_PROXIES=1\n" in env


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_nginx_site_is_valid(tmp_path):
    site = (DEPLOY / "nginx" / "talentdesk.conf").read_text()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=talentdesk.test", "-keyout", str(tmp_path / "k.pem"),
                    "-out", str(tmp_path / "c.pem")], check=True, capture_output=True)
    site = (site.replace("/etc/ssl/talentdesk/fullchain.pem", str(tmp_path / "c.pem"))
            .replace("/etc/ssl/talentdesk/privkey.pem", str(tmp_path / "k.pem"))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{ include {tmp_path}/site.conf; }}\n")
    result = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-e",
                             str(tmp_path / "error.log")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_deploy_gunicorn_file_is_the_projects_with_the_metrics_hook():
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert values["logger_class"] == "config.gunicorn_logging.RedactingLogger"
    assert values["errorlog"] == "-"
    assert callable(values["child_exit"])


def test_beat_runs_on_one_host_and_workers_acknowledge_late():
    beat = (DEPLOY / "systemd" / "talentdesk-beat.service").read_text()
    assert "exactly ONE host" in beat
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
