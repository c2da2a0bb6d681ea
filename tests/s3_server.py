"""An S3-compatible server of the test run's own, on a free port.

moto's server speaks S3's HTTP protocol, so the store is tested through
boto3 and real HTTP as it would talk to MinIO or AWS, with no internet.
"""

import itertools

from tests.concurrency.server import free_port

_buckets = itertools.count(1)


class S3Server:
    """Start moto's S3 server; ``endpoint`` is where it answers."""

    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    @property
    def endpoint(self):
        """Return the server's URL, as AWS_ENDPOINT_URL_S3 takes it."""
        return f"http://127.0.0.1:{self.port}"

    def new_bucket(self):
        """Create an empty bucket of its own for one test; return its name."""
        import boto3

        name = f"korch-test-{next(_buckets)}"
        boto3.client("s3", endpoint_url=self.endpoint).create_bucket(Bucket=name)
        return name

    def stop(self):
        """Stop the server."""
        self.server.stop()
