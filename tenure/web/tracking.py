"""The Segment-compatible tracking API under `/v1/`."""

import base64
import binascii
import zlib
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from tenure.activity.errors import InvalidWriteKey, PayloadTooLarge
from tenure.activity.keys import authenticate_write_key
from tenure.activity.message import BATCH_LIMIT_BYTES, parse_body, read_messages
from tenure.activity.store import EventStore
from tenure.activity.tracking import TrackingResult, ingest_messages
from tenure.core.db import make_session_factory
from tenure.core.workspace import Workspace

router = APIRouter(prefix="/v1", tags=["tracking"])


@router.post("/track")
async def track(request: Request) -> dict[str, Any]:
    """Record an event a contact performed (`event`, `properties`); its account is
    `context.groupId` or the contact's account from an earlier group call."""
    return await _receive(request, kind="track")


@router.post("/identify")
async def identify(request: Request) -> dict[str, Any]:
    """Set a contact's email, name and role from `traits`."""
    return await _receive(request, kind="identify")


@router.post("/group")
async def group(request: Request) -> dict[str, Any]:
    """Link a contact (`userId`) to an existing account (`groupId`)."""
    return await _receive(request, kind="group")


@router.post("/batch")
async def batch(request: Request) -> dict[str, Any]:
    """Send many track, identify and group calls at once under `batch`; the
    answer comes after every event in it is stored."""
    return await _receive(request, kind="batch")


async def _receive(request: Request, *, kind: str) -> dict[str, Any]:
    received_at = datetime.now(UTC)
    try:
        payload = parse_body(await _body(request))
        messages = read_messages(payload, kind=kind, received_at=received_at)
        result = await run_in_threadpool(
            _authenticate_and_ingest,
            request.app.state.workspace,
            request.app.state.event_store,
            _basic_user(request) or _body_key(payload),
            messages,
            received_at,
        )
    except InvalidWriteKey as exc:
        raise HTTPException(
            401, detail=str(exc), headers={"WWW-Authenticate": "Basic"}
        ) from exc
    except PayloadTooLarge as exc:
        raise HTTPException(413, detail=str(exc)) from exc
    return {
        "success": True,
        "stored": result.events_written,
        "duplicates": result.events_duplicate,
        "skipped": [{"where": s.where, "reason": s.reason} for s in result.skipped],
    }


def _authenticate_and_ingest(
    workspace: Workspace,
    store: EventStore,
    secret: str | None,
    messages: list[Any],
    received_at: datetime,
) -> TrackingResult:
    with make_session_factory(workspace.engine)() as session:
        authenticate_write_key(session, secret)
    return ingest_messages(workspace.engine, store, messages, received_at=received_at)


async def _body(request: Request) -> bytes:
    """The request body, refused as soon as it passes the batch limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > BATCH_LIMIT_BYTES:
        raise PayloadTooLarge(
            f"the request body is {int(declared):,} bytes, over the limit of "
            f"{BATCH_LIMIT_BYTES:,}; send smaller batches"
        )
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > BATCH_LIMIT_BYTES:
            raise PayloadTooLarge(
                f"the request body is over the limit of {BATCH_LIMIT_BYTES:,} "
                "bytes; send smaller batches"
            )
    if request.headers.get("content-encoding", "").lower() == "gzip":
        return _gunzip(bytes(chunks))
    return bytes(chunks)


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        inflated = inflater.decompress(data, BATCH_LIMIT_BYTES + 1)
    except zlib.error as exc:
        raise HTTPException(
            400, detail="the body says gzip but is not gzip data; send it again"
        ) from exc
    if len(inflated) > BATCH_LIMIT_BYTES:
        raise PayloadTooLarge(
            f"the unzipped request body is over the limit of {BATCH_LIMIT_BYTES:,} "
            "bytes; send smaller batches"
        )
    return inflated


def _basic_user(request: Request) -> str | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, _password = decoded.partition(":")
    return user or None


def _body_key(payload: dict[str, Any]) -> str | None:
    key = payload.get("writeKey")
    return key if isinstance(key, str) and key else None
