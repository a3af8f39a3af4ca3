"""A specialty's NRMP figures and a program's own Match history, as pages show them."""

from dataclasses import dataclass, field

from programs.models import SpecialtyStatistic

# --- NRMP figures -----------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int | None
    percent: float
    css: str


@dataclass
class MatchFigures:
    """A specialty's NRMP figures, each from the most recent report that has it.

    NRMP publishes fill rates, who matched and score medians in different reports and
    years, so each figure keeps its own row (and so its own year and source).
    """

    fill: SpecialtyStatistic | None = None
    groups: SpecialtyStatistic | None = None
    scores: SpecialtyStatistic | None = None
    composition: list[Bar] = field(default_factory=list)
    img_share: float | None = None
    img_share_of_all: bool = True

    def __bool__(self):
        return bool(self.fill or self.groups or self.scores)


MATCHED_GROUPS = [
    ("US MD seniors", "matched_us_md", "md"),
    ("US DO seniors", "matched_us_do", "do"),
    ("US-citizen IMGs", "matched_us_img", "usimg"),
    ("Non-US-citizen IMGs", "matched_non_us_img", "img"),
]


def match_figures(statistics) -> MatchFigures:
    """The headline figures: rows that count only a small part of the specialty's programs
    never head it (they stay in the table of every figure)."""
    whole = [s for s in statistics if not s.covers_part_only]
    rows = sorted(whole, key=lambda s: (-s.year, -(s.positions_offered or 0)))

    def newest(test):
        return next((s for s in rows if test(s)), None)

    figures = MatchFigures(
        fill=newest(lambda s: s.percent_filled is not None),
        groups=newest(lambda s: s.matched_us_img is not None and s.matched_non_us_img is not None),
        scores=newest(lambda s: s.step2_median_us_md or s.step2_median_non_us_img),
    )
    if stat := figures.groups:
        counts = [(label, getattr(stat, name), css) for label, name, css in MATCHED_GROUPS]
        known = sum(value or 0 for _, value, _ in counts)
        total = stat.matched_total or known
        figures.img_share_of_all = bool(stat.matched_total)
        if total:
            figures.composition = [
                Bar(label, value, round(100 * (value or 0) / total, 1), css)
                for label, value, css in counts
            ]
            imgs = (stat.matched_us_img or 0) + (stat.matched_non_us_img or 0)
            figures.img_share = round(100 * imgs / total, 1)
    return figures


# --- A program's own Match history ------------------------------------------------------


@dataclass(frozen=True)
class HistoryYear:
    year: int
    offered: int
    matched: int
    width: float  # the year's positions against the busiest year, in percent
    percent: float  # filled, in percent of the year's positions
    match: str = ""  # the match whose results report the year


@dataclass(frozen=True)
class MatchHistory:
    years: list[HistoryYear]
    codes: list[str]
    source_label: str
    matches: list[str]  # the matches the results come from, by name

    @property
    def several_matches(self) -> bool:
        return len(self.matches) > 1


def match_history(results) -> MatchHistory | None:
    """Positions offered and filled per match and Match year, all of a program's tracks in
    one match together, newest first; None when none are recorded. Each year names the
    match whose results report it (a residency may fill through NRMP's Specialties
    Matching Service)."""
    results = list(results)
    if not results:
        return None
    by_year: dict[tuple[int, str], list[int]] = {}
    for result in results:
        name = result.match.name if result.match_id else ""
        totals = by_year.setdefault((result.year, name), [0, 0])
        totals[0] += result.positions_offered
        totals[1] += result.matched
    busiest = max(offered for offered, _ in by_year.values()) or 1
    years = [
        HistoryYear(
            year=year,
            offered=offered,
            matched=matched,
            width=round(100 * offered / busiest, 1),
            percent=round(100 * matched / offered, 1) if offered else 0.0,
            match=name,
        )
        for (year, name), (offered, matched) in sorted(
            by_year.items(), key=lambda item: (-item[0][0], item[0][1])
        )
    ]
    codes = sorted({result.nrmp_code for result in results})
    labels = "; ".join(sorted({result.source_label for result in results}))
    matches = sorted({year.match for year in years if year.match})
    span = (
        f"{years[-1].year}–{years[0].year}"
        if len({y.year for y in years}) > 1
        else str(years[0].year)
    )
    return MatchHistory(years=years, codes=codes, source_label=f"{labels}, {span}", matches=matches)
