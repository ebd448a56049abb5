"""From engine callbacks to Textual messages, in batches.

The engine calls its subscribers synchronously, from inside the simulation
(a packet, a timer, a command). The bridge only queues the event and posts
one `EngineEvents` message while none is waiting, so a burst of events, such
as a thousand a second, costs the UI one message per turn of its loop.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from textual.message import Message
from textual.message_pump import MessagePump

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine


class EngineEvents(Message):
    """Engine events are waiting: call `EngineBridge.drain`."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, EngineEvents)


class EngineBridge:
    def __init__(self, engine: "Engine", target: MessagePump):
        self.engine = engine
        self.target = target
        self._pending: list[Any] = []
        self._posted = False
        self._unsubscribe: Optional[Callable[[], None]] = None

    def start(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.engine.subscribe(self._on_event)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: Any) -> None:
        self._pending.append(event)
        if not self._posted:
            self._posted = True
            self.target.post_message(EngineEvents())

    def drain(self) -> list[Any]:
        events, self._pending = self._pending, []
        self._posted = False
        return events
