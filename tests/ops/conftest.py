"""A real S3-compatible server on loopback (moto in server mode) for the storage tests and
the two-server test: the S3 backend of django-storages talks HTTP to it as to any store."""

import logging
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

KEYS = {"AWS_ACCESS_KEY_ID": "sammachip-test", "AWS_SECRET_ACCESS_KEY": "sammachip-test-secret"}
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint) -> str:
    name = f"sammachip-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def storage_env(endpoint, bucket) -> dict:
    """The environment that points the portal's settings at the bucket (as in production)."""
    return {
        "STORAGE_URL": f"s3://{bucket}",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        **KEYS,
    }


@pytest.fixture
def s3_bucket(s3_endpoint, settings, monkeypatch):
    """The default storage is a fresh bucket of the local S3 server, configured as settings.py
    configures it from the environment; yields a boto3 client and the bucket's name."""
    from sammachip.settings import file_storage

    bucket = new_bucket(s3_endpoint)
    for name, value in storage_env(s3_endpoint, bucket).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(f"s3://{bucket}")}
    settings.MEDIA_ROOT = "/nonexistent-media-root"  # nothing may fall back to the disk
    return s3_client(s3_endpoint), bucket


def keys_in(client, bucket) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))
