"""Every image is checked for its pixel count before anything decodes it.

A PNG of 12000×12000 pixels can be a few hundred kilobytes and still need half a
gigabyte once decoded. Pillow reads only the header when it opens a file, so the
size is known before any pixel is touched.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError


def check_image_pixels(source, *, label=None):
    """Refuse an image (a file object, rewound afterwards) with more pixels than
    MEDCONNECT_MAX_IMAGE_PIXELS; return its (width, height)."""
    label = label or _("image")
    limit = settings.MEDCONNECT_MAX_IMAGE_PIXELS
    megapixels = f"{limit / 1_000_000:g}"
    position = source.tell()
    try:
        with Image.open(source) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("The %(label)s has too many pixels: at most %(megapixels)s megapixels are accepted.")
            % {"label": label, "megapixels": megapixels},
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The %(label)s could not be read.") % {"label": label}, code="corrupt"
        ) from exc
    finally:
        source.seek(position)
    if width * height > limit:
        raise ValidationError(
            _(
                "The %(label)s is %(width)s×%(height)s pixels: at most %(megapixels)s "
                "megapixels are accepted. Upload a smaller version."
            )
            % {"label": label, "width": width, "height": height, "megapixels": megapixels},
            code="too_many_pixels",
        )
    return width, height
