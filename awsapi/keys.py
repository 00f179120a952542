"""Access keys: making, revoking and reading back their secrets.

SigV4 is an HMAC keyed by the secret access key, so verifying a request needs the secret
itself, not a hash of it (as AWS keeps it). It is stored encrypted with Fernet (AES-128-CBC
+ HMAC-SHA256) under a key derived from SECRET_KEY: a copy of the database alone reveals no
secret. Changing SECRET_KEY makes every access key unreadable; its users make new ones.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone

from awsapi.models import AccessKey
from designer.actions import ActionError

# AWS's own form: "AKIA" and 16 characters of A-Z and 2-7 (base32).
KEY_ID_PREFIX = "AKIA"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# How many keys one user may hold at once (AWS allows two; people here rotate more slowly).
MAX_ACTIVE_KEYS = 10


def _fernet() -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"statecraft access keys"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def create_access_key(user: Any) -> tuple[AccessKey, str]:
    """A new key of ``user`` and its secret, which is shown this once."""
    if AccessKey.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_KEYS:
        raise ActionError(
            f"You already hold {MAX_ACTIVE_KEYS} access keys: revoke one first.",
            code="LimitExceeded",
        )
    secret = secrets.token_urlsafe(30)[:40]
    key_id = KEY_ID_PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(16))
    key = AccessKey.objects.create(
        user=user,
        access_key_id=key_id,
        encrypted_secret=_fernet().encrypt(secret.encode()).decode(),
    )
    return key, secret


def secret_of(key: AccessKey) -> str | None:
    """The key's secret, or None when it was stored under another SECRET_KEY."""
    try:
        return _fernet().decrypt(key.encrypted_secret.encode()).decode()
    except InvalidToken:
        return None


def revoke_access_key(user: Any, key_id: str) -> bool:
    """Revokes one of ``user``'s own keys; False when they hold no such active key."""
    return bool(
        AccessKey.objects.filter(user=user, access_key_id=key_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
