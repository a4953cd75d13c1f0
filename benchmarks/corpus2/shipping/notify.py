from typing import Any


class Notifier:
    def __init__(self, sender: Any) -> None:
        self.sender = sender

    async def shipped(self, email: str, tracking: str) -> bool:
        if not email or "@" not in email:
            return False
        await self.sender.send(to=email, subject="Your parcel is on its way",
                               body=f"Tracking number: {tracking}")
        return True
