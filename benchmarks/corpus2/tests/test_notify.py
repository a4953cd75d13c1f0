import asyncio
from unittest.mock import AsyncMock

import pytest

from shipping.notify import Notifier


def test_shipped_sends_mail():
    sender = AsyncMock()
    result = asyncio.run(Notifier(sender).shipped("ann@example.com", "ZX-000001"))
    assert result is True
    sender.send.assert_awaited_once_with(
        to="ann@example.com", subject="Your parcel is on its way",
        body="Tracking number: ZX-000001")


def test_shipped_rejects_bad_email():
    sender = AsyncMock()
    assert asyncio.run(Notifier(sender).shipped("not-an-email", "ZX-000001")) is False
    sender.send.assert_not_awaited()


def test_shipped_awaited():
    sender = AsyncMock()
    asyncio.run(Notifier(sender).shipped("ann@example.com", "ZX-000001"))
    sender.send.assert_awaited()


def test_shipped_awaited_typo():
    sender = AsyncMock()
    asyncio.run(Notifier(sender).shipped("ann@example.com", "ZX-000001"))
    sender.send.awaited_once_with(to="ann@example.com")


def test_shipped_never_awaited():
    sender = AsyncMock()
    Notifier(sender).shipped("ann@example.com", "ZX-000001")
    sender.send.assert_not_called()


def test_shipped_body_checked():
    sender = AsyncMock()

    async def go():
        return await Notifier(sender).shipped("bo@example.com", "QQ-000002")

    assert asyncio.run(go())
    assert sender.send.await_args.kwargs["body"] == "Tracking number: QQ-000002"


def test_shipped_mock_return():
    sender = AsyncMock()
    sender.send.return_value = "queued"
    asyncio.run(Notifier(sender).shipped("ann@example.com", "ZX-000001"))
    assert asyncio.run(sender.send()) == "queued"


def test_shipped_empty_email():
    sender = AsyncMock()
    result = asyncio.run(Notifier(sender).shipped("", "ZX-000001"))
    assert not result
