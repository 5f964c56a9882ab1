"""Every image is checked for its pixel count before anything decodes it.

A PNG of 12000×12000 pixels can be a few hundred kilobytes and still need half a
gigabyte once decoded. Pillow reads only the header when it opens a file, so the
size is known before any pixel is touched.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError


def check_image_pixels(source, *, label="image"):
    """Refuse an image (a file object, rewound afterwards) with more pixels than
    MEDCONNECT_MAX_IMAGE_PIXELS; return its (width, height)."""
    limit = settings.MEDCONNECT_MAX_IMAGE_PIXELS
    megapixels = f"{limit / 1_000_000:g}"
    position = source.tell()
    try:
        with Image.open(source) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            f"The {label} has too many pixels: at most {megapixels} megapixels are accepted.",
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"The {label} could not be read.", code="corrupt") from exc
    finally:
        source.seek(position)
    if width * height > limit:
        raise ValidationError(
            f"The {label} is {width}×{height} pixels: at most {megapixels} megapixels are "
            "accepted. Upload a smaller version.",
            code="too_many_pixels",
        )
    return width, height
