"""Writing an export's rows to a CSV file as they come, in constant memory."""

import csv
import hashlib

from printing.spreadsheet import csv_cell as neutralize


class ExportCancelled(Exception):
    """The person who asked cancelled the export while it ran."""


def write_rows(handle, *, header, rows, every, progress):
    """Write `header` and then each row of the iterable `rows` to the open text file
    `handle`; call `progress(rows_done)` every `every` rows and once at the end (it
    raises ExportCancelled to stop). Returns the number of rows written."""
    writer = csv.writer(handle)
    writer.writerow([neutralize(cell) for cell in header])
    done = 0
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
        done += 1
        if done % every == 0:
            progress(done)
    progress(done)
    return done


def file_sha256(path, chunk_size=1024 * 1024):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
