"""One JSON object a line for the log collector (``LOG_FORMAT=json``)."""

import datetime as dt
import json
import logging

# What the request log (sammachip.middleware.RequestLogMiddleware) adds to its records
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """Each record as one line of JSON: time, level, logger, message, the request's fields
    when the record has them, and the traceback of an exception as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
