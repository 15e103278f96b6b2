"""gunicorn settings for one experiment of docs/performance.md ("Why some p95 figures..."):
each worker runs full garbage collections a tenth as often. Not used in production.

    GUNICORN_ARGS="-c bench/gunicorn_gc.py" bash bench/load.sh
"""

import gc


def post_fork(server, worker):
    gc.set_threshold(700, 10, 100)
