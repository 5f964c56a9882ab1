"""What the assistant answers: a short text, optional lists, links to act, and
the public source it follows. The same shape is shown on the page, stored
(encrypted) in the patient's history and returned by the API."""

from dataclasses import asdict, dataclass, field

EMERGENCY, URGENT, INFO = "emergency", "urgent", "info"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple = ()


@dataclass
class Reply:
    intent: str
    text: str
    level: str = INFO
    sections: list = field(default_factory=list)
    links: list = field(default_factory=list)
    source: str = ""
    sign_in: bool = False  # personal answers need the person to sign in

    def add_link(self, label, url):
        self.links.append(Link(label, url))

    def add_section(self, title, items):
        if items:
            self.sections.append(Section(title, tuple(items)))

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(
            intent=data.get("intent", ""),
            text=data.get("text", ""),
            level=data.get("level", INFO),
            sections=[
                Section(s.get("title", ""), tuple(s.get("items", ())))
                for s in data.get("sections", [])
            ],
            links=[
                Link(link.get("label", ""), link.get("url", "")) for link in data.get("links", [])
            ],
            source=data.get("source", ""),
            sign_in=bool(data.get("sign_in", False)),
        )


@dataclass(frozen=True)
class Question:
    """A message with who asks it, when, and the time zone they read times in."""

    message: str
    normalized: str
    user: object  # the signed-in user, or AnonymousUser
    now: object  # an aware datetime
    tz: object = None  # a ZoneInfo from the person's browser or app, or None

    @property
    def is_patient(self):
        return bool(self.user.is_authenticated and getattr(self.user, "is_patient", False))
