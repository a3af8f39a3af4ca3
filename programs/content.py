"""FAQ entries, guides and the season timeline: what the public pages read, and the loader
for the content shipped in fixtures/content/.
"""

import datetime
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from programs import markdown
from programs.models import FaqEntry, FaqTopic, Guide, Season, SeasonEvent, Specialty

CONTENT_DIR = settings.BASE_DIR / "fixtures" / "content"
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8

# What each official date means for an applicant. Explanations only: the dates themselves
# are season data that curators keep in the admin.
EVENT_MEANINGS = {
    SeasonEvent.ERAS_OPENS: (
        "The application season begins. You can get your ERAS token (IMGs get it from ECFMG), "
        "register in MyERAS, fill in the application and ask your letter writers to upload. "
        "Nothing reaches programs yet."
    ),
    SeasonEvent.APPLICANTS_SUBMIT: (
        "The first day you can certify your application and send it to programs. Once "
        "certified, the application itself is locked, so proofread it before this day."
    ),
    SeasonEvent.PROGRAMS_REVIEW: (
        "Programs can open applications and MSPEs for the first time. Everything submitted "
        "before this day arrives together; interview invitations usually start soon after."
    ),
    SeasonEvent.NRMP_REGISTRATION: (
        "You can register for the NRMP Main Residency Match. Applying through ERAS does not "
        "register you for the Match: both are needed, and a late fee applies after the "
        "standard registration deadline."
    ),
    SeasonEvent.RANK_LIST_DEADLINE: (
        "The last moment to certify your rank order list. IMGs must also have their exam and "
        "clinical-skills requirements confirmed by ECFMG by now, or the NRMP withdraws them "
        "from the Match and from SOAP."
    ),
    SeasonEvent.MATCH_DAY: (
        "Results are released. Earlier in Match Week (on the Monday) applicants learn whether "
        "they matched, and eligible unmatched applicants can take part in SOAP."
    ),
    SeasonEvent.TRAINING_STARTS: (
        "Residency begins. Many programs hold orientation in the last weeks of June, and a "
        "contract may ask you to arrive before this date."
    ),
}


# FAQ


def published_faq_entries() -> QuerySet[FaqEntry]:
    """Published entries with what their listing shows, in topic and curator order."""
    return (
        FaqEntry.objects.filter(is_published=True)
        .select_related("specialty", "program")
        .prefetch_related(
            Prefetch("related_guides", queryset=Guide.objects.filter(is_published=True))
        )
    )


def search_terms(q: str) -> list[str]:
    return q[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]


def search_faq(entries: QuerySet[FaqEntry], q: str) -> QuerySet[FaqEntry]:
    """Entries whose question or answer contains every word of q."""
    for term in search_terms(q):
        entries = entries.filter(Q(question__icontains=term) | Q(answer__icontains=term))
    return entries


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    label: str
    entries: list[FaqEntry]

    @property
    def anchor(self) -> str:
        return f"topic-{self.topic}"


def group_by_topic(entries) -> list[TopicGroup]:
    """Entries grouped under their topic, topics in the order FaqTopic declares them."""
    by_topic: dict[str, list[FaqEntry]] = {}
    for entry in entries:
        by_topic.setdefault(entry.topic, []).append(entry)
    return [
        TopicGroup(topic=topic.value, label=topic.label, entries=by_topic[topic.value])
        for topic in FaqTopic
        if topic.value in by_topic
    ]


# Characters that could end a <script> element or start markup inside it.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def faq_json_ld(entries) -> SafeString:
    """schema.org FAQPage data, escaped so it can sit inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": str(markdown.render(entry.answer))},
            }
            for entry in entries
        ],
    }
    return mark_safe(json.dumps(data).translate(_JSON_SCRIPT_ESCAPES))


# Guides


def published_guides() -> QuerySet[Guide]:
    return Guide.objects.filter(is_published=True)


# Timeline


def current_season() -> Season | None:
    return Season.objects.filter(is_current=True).first()


@dataclass(frozen=True)
class TimelineRow:
    event: SeasonEvent
    date: datetime.date
    confirmed: bool
    days_left: int

    @property
    def label(self) -> str:
        return self.event.label

    @property
    def meaning(self) -> str:
        return EVENT_MEANINGS[self.event]

    @property
    def anchor(self) -> str:
        return self.event.value.replace("_", "-")

    @property
    def has_passed(self) -> bool:
        return self.days_left < 0

    @property
    def countdown(self) -> str:
        if self.days_left < 0:
            return "Passed"
        if self.days_left == 0:
            return "Today"
        if self.days_left == 1:
            return "Tomorrow"
        return f"{self.days_left} days left"


def timeline_rows(season: Season, *, today: datetime.date) -> list[TimelineRow]:
    return [
        TimelineRow(event=event, date=date, confirmed=confirmed, days_left=(date - today).days)
        for event, date, confirmed in season.events()
    ]


# Shipped content


class ContentError(Exception):
    """A shipped content file that cannot be loaded; the message names the file."""


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_content_file(path: Path) -> tuple[dict, str]:
    """Split a file into its TOML front matter (between +++ lines) and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise ContentError(f"{path.name}: expected front matter between two '+++' lines")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: front matter is not valid TOML ({error})") from error
    return meta, parts[2].strip() + "\n"


@transaction.atomic
def load_content(
    *, directory: Path = CONTENT_DIR, update: bool = False, dry_run: bool = False
) -> dict[str, LoadResult]:
    """Create the shipped guides and FAQ entries that are missing, matched by slug.

    Entries that already exist are left as curators edited them unless ``update`` is set,
    in which case the shipped text replaces theirs. With ``dry_run`` nothing is saved.
    """
    results = {
        "guides": _load_guides(directory / "guides", update=update),
        "faq": _load_faq(directory / "faq", update=update),
    }
    if dry_run:
        transaction.set_rollback(True)
    return results


def _content_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ContentError(f"No content directory at {directory}")
    return sorted(directory.glob("*.md"))


def _load_guides(directory: Path, *, update: bool) -> LoadResult:
    result = LoadResult()
    for path in _content_files(directory):
        meta, body = read_content_file(path)
        fields = {
            "title": meta.get("title", ""),
            "summary": meta.get("summary", ""),
            "body": body,
            "order": meta.get("order", 0),
            "is_published": meta.get("published", True),
            "last_reviewed_on": meta.get("last_reviewed_on"),
            "sources": meta.get("sources", "").strip(),
        }
        _save(Guide, path, fields, update=update, result=result)
    return result


def _load_faq(directory: Path, *, update: bool) -> LoadResult:
    result = LoadResult()
    for path in _content_files(directory):
        meta, answer = read_content_file(path)
        fields = {
            "question": meta.get("question", ""),
            "answer": answer,
            "topic": meta.get("topic", ""),
            "order": meta.get("order", 0),
            "is_published": meta.get("published", True),
            "last_reviewed_on": meta.get("last_reviewed_on"),
            "source_label": meta.get("source_label", ""),
            "source_url": meta.get("source_url", ""),
            "specialty": _specialty(path, meta.get("specialty")),
        }
        entry = _save(FaqEntry, path, fields, update=update, result=result)
        if entry is not None:
            entry.related_guides.set(_guides(path, meta.get("related_guides", [])))
    return result


def _save(model, path: Path, fields: dict, *, update: bool, result: LoadResult):
    """Create or (with update) overwrite one row; returns it, or None when left alone."""
    slug = path.stem
    existing = model.objects.filter(slug=slug).first()
    if existing is not None and not update:
        result.unchanged.append(slug)
        return None
    obj = existing or model(slug=slug)
    for name, value in fields.items():
        setattr(obj, name, value)
    try:
        obj.full_clean(validate_unique=existing is None)
    except ValidationError as error:
        raise ContentError(f"{path.name}: {'; '.join(error.messages)}") from error
    obj.save()
    (result.updated if existing else result.created).append(slug)
    return obj


def _specialty(path: Path, code: str | None) -> Specialty | None:
    if not code:
        return None
    specialty = Specialty.objects.filter(code=code).first()
    if specialty is None:
        raise ContentError(f"{path.name}: no specialty with ACGME code {code}")
    return specialty


def _guides(path: Path, slugs: list[str]) -> list[Guide]:
    guides = list(Guide.objects.filter(slug__in=slugs))
    if missing := set(slugs) - {guide.slug for guide in guides}:
        raise ContentError(f"{path.name}: no guide with slug {', '.join(sorted(missing))}")
    return guides
