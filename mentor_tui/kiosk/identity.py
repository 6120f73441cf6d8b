"""Who is connected, and the state folder that holds their remembered sign-in.

A public key is known by its SHA-256 fingerprint (as ``ssh-keygen -l`` shows it); its
folder is named by the same digest, so two keys never share a sign-in and the same key
finds its own again. A guest gets a throwaway folder for one connection.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..files import private_dir


@dataclass(frozen=True)
class KeyId:
    digest: bytes

    @classmethod
    def of(cls, public_key_blob: bytes) -> KeyId:
        """From the key in SSH wire format (what authorized_keys holds in base64)."""
        return cls(hashlib.sha256(public_key_blob).digest())

    @property
    def fingerprint(self) -> str:
        return "SHA256:" + base64.b64encode(self.digest).decode("ascii").rstrip("=")

    @property
    def folder_name(self) -> str:
        return self.digest.hex()


class StateFolders:
    """``<root>/users/<digest>/`` per key, kept; ``<root>/guests/<random>/`` per guest, removed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.users = root / "users"
        self.guests = root / "guests"

    def prepare(self) -> None:
        """Create the folders and remove guest folders a crash may have left behind."""
        for folder in (self.root, self.users, self.guests):
            private_dir(folder)
        for leftover in self.guests.iterdir():
            self.discard(leftover)

    def for_key(self, key: KeyId) -> Path:
        return private_dir(self.users / key.folder_name)

    def for_guest(self) -> Path:
        return Path(tempfile.mkdtemp(dir=self.guests))

    @staticmethod
    def discard(folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
