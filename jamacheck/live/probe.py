"""--probe-write: prove write access by locking and unlocking one item nobody holds.

Only an item whose ``lock.locked`` is false is touched; a refused lock is not retried; an
item locked here is recorded until it is unlocked, so that Ctrl-C unlocks it before exiting.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from jamacheck.live.http import CLEANUP_SECONDS, Cancelled, LiveError
from jamacheck.live.jama import ITEMS
from jamacheck.live.result import FAIL, PASS, UNKNOWN
from jamacheck.live.session import quoted
from jamacheck.rules.jc5_live import PROJECT_ACCESS

if TYPE_CHECKING:
    from jamacheck.live.session import Session

_held_lock = threading.Lock()
_held: dict[tuple[int, Any], Session] = {}  # (id of the session, item id) -> session, while locked
# a lock on its way: Jama may lock the item even if Ctrl-C comes before its answer
_in_flight: dict[tuple[int, Any], tuple[Session, threading.Event]] = {}


def probe_lock(session: Session, project: str | int, items: list[Any], verdict: tuple[Any, ...]) -> tuple[Any, ...]:
    item_id = _free_item(session, items)
    if item_id is None:
        return (verdict[0], f"{verdict[1]}; no item read is known to be unlocked (each is locked by somebody, or "
                            "its lock cannot be read), so none was probed", *verdict[2:])
    key, answered = (id(session), item_id), threading.Event()
    with _held_lock:
        _in_flight[key] = (session, answered)
    try:
        answer = session.send("PUT", f"{ITEMS}/{item_id}/lock", retry=False, json={"locked": True})
        if 200 <= answer.status < 300:
            with _held_lock:
                _held[key] = session
    finally:
        with _held_lock:
            _in_flight.pop(key, None)
        answered.set()
    if answer.status in (401, 403):
        return (FAIL, f"project {project}: Jama refused to lock item {item_id} ({answer.status}): the account cannot "
                      "edit the project's items" + quoted(answer), PROJECT_ACCESS)
    if not 200 <= answer.status < 300:
        return (verdict[0] if verdict[0] == PASS else UNKNOWN,
                f"{verdict[1]}; the lock of item {item_id} answered {answer.status}, left as it is (not retried)")
    if not unlock(session, item_id):
        return (FAIL, f"project {project}: item {item_id} was locked but cannot be unlocked: unlock it in Jama",
                PROJECT_ACCESS)
    return (PASS, f"project {project}: locked and unlocked item {item_id}")


def _free_item(session: Session, items: list[Any]) -> Any:
    for item in items:
        if not isinstance(item, dict) or isinstance(item.get("id"), bool) or not isinstance(item.get("id"), int):
            continue
        lock = item.get("lock")
        if not isinstance(lock, dict):
            lock = _read_lock(session, item["id"])
        if isinstance(lock, dict) and lock.get("locked") is False:
            return item["id"]
    return None


def _read_lock(session: Session, item_id: int) -> Any:
    answer = session.get(f"{ITEMS}/{item_id}/lock")
    if answer.status != 200:
        return None
    body = answer.json()
    return body.get("data") if isinstance(body, dict) else None


def unlock(session: Session, item_id: Any) -> bool:
    try:
        answer = session.send("PUT", f"{ITEMS}/{item_id}/lock", json={"locked": False}, cleanup=True)
    except (LiveError, Cancelled):
        return False
    if 200 <= answer.status < 300:
        with _held_lock:
            _held.pop((id(session), item_id), None)
        return True
    return False


def unlock_all() -> None:
    """After Ctrl-C: unlock every item still held (each bounded by a short deadline), after a
    short wait for a lock still on its way; one still unanswered is unlocked all the same."""
    until = time.monotonic() + CLEANUP_SECONDS / 2  # then each unlock's own deadline: within a second in all
    with _held_lock:
        pending = list(_in_flight.items())
    for _, (_, answered) in pending:
        answered.wait(max(until - time.monotonic(), 0.0))
    with _held_lock:
        held = dict(_held)
        held.update((key, session) for key, (session, _) in _in_flight.items())
    for (_, item_id), session in held.items():
        unlock(session, item_id)
