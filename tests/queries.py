from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """Queries of one GET of `url`, after a first GET that warms the session and caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
