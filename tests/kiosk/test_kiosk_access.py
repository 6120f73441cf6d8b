"""Who gets in: listed keys, guests only when allowed, a bounded rate per address, one host key."""

from __future__ import annotations

import logging

import asyncssh
import pytest

from mentor_tui.kiosk.server import HOST_KEY_NAME, load_host_key

from .probe import connect


async def test_only_listed_keys_get_in_when_a_list_is_given(start_kiosk, new_key, tmp_path):
    listed, stranger = new_key(), new_key()
    authorized = tmp_path / "authorized_keys"
    authorized.write_bytes(listed.export_public_key())
    kiosk = await start_kiosk(authorized_keys=authorized)

    async with await connect(kiosk.port, listed):
        pass
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(kiosk.port, stranger)

    authorized.write_bytes(listed.export_public_key() + stranger.export_public_key())  # read at each connection
    async with await connect(kiosk.port, stranger):
        pass


async def test_guests_get_in_only_when_allowed(start_kiosk):
    kiosk = await start_kiosk()
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(kiosk.port)


async def test_new_connections_per_address_are_limited(start_kiosk, new_key, caplog):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    kiosk = await start_kiosk(connections_per_minute=2)
    key = new_key()
    for _ in range(2):
        async with await connect(kiosk.port, key):
            pass
    with pytest.raises((asyncssh.DisconnectError, ConnectionError)):
        await connect(kiosk.port, key)
    assert any("reason=rate-limited" in record.getMessage() for record in caplog.records)


async def test_the_host_key_is_made_once_kept_private_and_shown_to_clients(start_kiosk, new_key, tmp_path):
    kiosk = await start_kiosk()
    key_file = kiosk.folders.root / HOST_KEY_NAME
    assert key_file.stat().st_mode & 0o777 == 0o600
    async with await connect(kiosk.port, new_key()) as conn:
        assert conn.get_server_host_key().get_fingerprint("sha256") == kiosk.host_fingerprint
    await kiosk.shutdown()

    again = await start_kiosk()
    assert again.host_fingerprint == kiosk.host_fingerprint

    key_file.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_host_key(key_file)
