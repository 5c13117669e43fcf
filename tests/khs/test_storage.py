"""Media storage chosen by the environment: the file system by default, an S3-compatible bucket shared by
several web servers and workers when STORAGE_BACKEND=s3. Nothing here talks to a network."""

import json

from tests.khs.test_settings import manage

S3 = {
    "STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "khs-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.no:9000",
    "AWS_S3_REGION_NAME": "no-east-1",
    "AWS_ACCESS_KEY_ID": "khs",
    "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
    "AWS_LOCATION": "prod",
    "AWS_S3_ADDRESSING_STYLE": "path",
}

SHOW = (
    "import json; from django.conf import settings; from django.core.files.storage import storages; s = storages['default']; "
    "print(json.dumps({'cls': type(s).__module__ + '.' + type(s).__name__, 'bucket': getattr(s, 'bucket_name', None), "
    "'endpoint': getattr(s, 'endpoint_url', None), 'location': getattr(s, 'location', None), "
    "'overwrite': getattr(s, 'file_overwrite', None), 'signed': getattr(s, 'querystring_auth', None), "
    "'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
)


def _show(env):
    result = manage("shell", "-c", SHOW, env_overrides=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_s3_storage_is_picked_from_the_environment():
    shown = _show(S3)
    assert shown["cls"] == "storages.backends.s3.S3Storage"
    assert shown["bucket"] == "khs-media" and shown["endpoint"] == "https://s3.example.no:9000"
    assert shown["location"] == "prod"
    assert shown["overwrite"] is False and shown["signed"] is True  # private files, never replaced by a namesake
    assert "https://s3.example.no:9000" in shown["img"]  # the logo's signed URL is allowed by the CSP


def test_the_file_system_is_the_default():
    shown = _show({})
    assert shown["cls"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert shown["img"] == ["'self'", "data:"]


def test_s3_without_a_bucket_refuses_to_start():
    env = {k: v for k, v in S3.items() if k != "AWS_STORAGE_BUCKET_NAME"}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0 and "AWS_STORAGE_BUCKET_NAME must be set" in result.stderr


def test_an_unknown_storage_backend_refuses_to_start():
    result = manage("check", env_overrides={"STORAGE_BACKEND": "ftp"})
    assert result.returncode != 0 and "STORAGE_BACKEND='ftp': use one of filesystem, s3" in result.stderr
