"""Writing and reading the files of a backup set, sealed with the backup key or not.

A sealed file is a header line, then chunks, each a Fernet token (AES-128-CBC with
HMAC-SHA256) after its 4-byte length: the file streams through without being held
in memory, and any changed byte fails the token's HMAC. Each stored file's SHA-256
is in the manifest, so corruption is found before anything is restored.
"""

import hashlib
import struct

from cryptography.fernet import Fernet, InvalidToken

CHUNK_BYTES = 4 * 1024 * 1024
SEALED_HEADER = b"MEDCONNECT-BACKUP-SEALED-1\n"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def sealer_for(key):
    if not key:
        return None
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as exc:
        raise BackupError(
            "MEDCONNECT_BACKUP_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64 bytes)."
        ) from exc


def file_chunks(handle, size=CHUNK_BYTES):
    while chunk := handle.read(size):
        yield chunk


def write_stored(path, chunks, fernet):
    """Write plain chunks to `path`, sealed when a key is given.
    Returns (SHA-256 of the plain bytes, SHA-256 of the stored bytes, plain size)."""
    plain, stored, size = hashlib.sha256(), hashlib.sha256(), 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        if fernet is not None:
            out.write(SEALED_HEADER)
            stored.update(SEALED_HEADER)
        for chunk in chunks:
            plain.update(chunk)
            size += len(chunk)
            data = chunk
            if fernet is not None:
                token = fernet.encrypt(chunk)
                data = struct.pack(">I", len(token)) + token
            out.write(data)
            stored.update(data)
    path.chmod(0o600)
    return plain.hexdigest(), stored.hexdigest(), size


def read_stored(path, fernet):
    """Yield the plain chunks of a stored file (unsealing it when it is sealed)."""
    with open(path, "rb") as handle:
        header = handle.read(len(SEALED_HEADER))
        if header != SEALED_HEADER:
            if fernet is not None and header.startswith(b"MEDCONNECT-BACKUP"):
                raise BackupError(f"{path.name}: unknown sealed format.")
            yield header
            yield from file_chunks(handle)
            return
        if fernet is None:
            raise BackupError(
                "This backup set is encrypted: set MEDCONNECT_BACKUP_ENCRYPTION_KEY to its key."
            )
        while length := handle.read(4):
            if len(length) < 4:
                raise BackupError(f"{path.name} is truncated.")
            token = handle.read(struct.unpack(">I", length)[0])
            try:
                yield fernet.decrypt(token)
            except InvalidToken as exc:
                raise BackupError(
                    f"{path.name} cannot be opened with this key, or it was altered."
                ) from exc


def sha256_of(source):
    """SHA-256 of a file, given its path or an open binary handle."""
    digest = hashlib.sha256()
    if hasattr(source, "read"):
        for chunk in file_chunks(source):
            digest.update(chunk)
        return digest.hexdigest()
    with open(source, "rb") as handle:
        return sha256_of(handle)


def storage_paths(storage, folder=""):
    """Every file in a storage, as storage names, sorted (FileSystem or S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a file storage whose folder was never made: empty
        return []
    prefix = f"{folder}/" if folder else ""
    paths = [prefix + name for name in files]
    for sub in folders:
        paths += storage_paths(storage, prefix + sub)
    return sorted(paths)
