"""The LINE Messaging API, through LINE's SDK (line-bot-sdk): pushing a text message and
reading the webhook. The API's address is LINE_API_BASE_URL (the tests' stand-in)."""

from __future__ import annotations

from django.conf import settings
from linebot.v3 import WebhookParser
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    TextMessage,
)

TIMEOUT_SECONDS = 10
LINE_TEXT_MAX = 5000


def push(to: str, text: str, *, retry_key: str) -> None:
    """Push ``text`` to one LINE user. The same ``retry_key`` on every try of one message:
    LINE accepts it once and answers 409 to a repeat, which is the message already sent."""
    configuration = Configuration(
        host=settings.LINE_API_BASE_URL, access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    with ApiClient(configuration) as client:
        try:
            MessagingApi(client).push_message(
                PushMessageRequest(to=to, messages=[TextMessage(text=text[:LINE_TEXT_MAX])]),
                x_line_retry_key=retry_key,
                _request_timeout=TIMEOUT_SECONDS,
            )
        except ApiException as exc:
            if exc.status == 409:  # accepted before under this retry key
                return
            raise


def parse_webhook(body: str, signature: str):
    """The events of a webhook call; raises linebot's InvalidSignatureError when the
    X-Line-Signature is not the body's HMAC under the channel secret."""
    return WebhookParser(settings.LINE_CHANNEL_SECRET).parse(body, signature)
