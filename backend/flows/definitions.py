"""Frozen workflow objects built from the YAML files in ``workflows/``.

A workflow is plain data: the ticket services ask it which actions exist from a state,
who may take them and what they require. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.i18n import TRADITIONAL, current_lang, to_traditional, traditional_active

PRIORITIES = ("low", "normal", "high", "urgent")


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def __str__(self) -> str:
        return self.get()

    def get(self, lang: str | None = None) -> str:
        if lang is None and traditional_active():
            lang = TRADITIONAL
        lang = lang or current_lang()
        if lang == "en":
            return self.en
        return to_traditional(self.zh) if lang == TRADITIONAL else self.zh

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class SchoolAge:
    """A child of school age: at least ``min_age`` and at most ``max_age`` full years old on
    the school year's cut-off date (``cut_off_month``/``cut_off_day``, e.g. 31 August: the
    next such date on or after the day of the check)."""

    min_age: int
    max_age: int
    cut_off_month: int
    cut_off_day: int


@dataclass(frozen=True)
class ReviewRules:
    """What pre-review looks for in one material's uploads (``review:`` in the YAML).

    ``kinds`` are the accepted file kinds; ``min_short_side`` the smallest acceptable
    shorter side of an image in pixels; ``must_show`` what the document must show of the
    talent's record (``name``, ``document_number``); ``mrz`` reads a passport's
    machine-readable zone (ICAO 9303 TD3), ``valid_for_months`` the validity it must still
    have, ``fields`` what is captured from it. ``school_age`` checks the birth date read
    from a child's birth certificate against the school year's cut-off. ``auto_accept``
    lets an upload whose every check passes be received without the officer (only when
    the workflow says so).
    """

    kinds: tuple[str, ...] = ("pdf", "jpeg", "png")
    min_short_side: int = 600
    min_pages: int = 1
    max_pages: int = 20
    must_show: tuple[str, ...] = ()
    mrz: bool = False
    valid_for_months: int | None = None
    fields: tuple[str, ...] = ()
    school_age: SchoolAge | None = None
    auto_accept: bool = False


DEFAULT_REVIEW = ReviewRules()


@dataclass(frozen=True)
class Material:
    id: str
    label: Text
    required: bool
    hint: Text | None = None
    review: ReviewRules = DEFAULT_REVIEW


@dataclass(frozen=True)
class State:
    id: str
    label: Text
    public_label: Text
    talent_todo: Text | None = None
    initial: bool = False
    final: bool = False
    resolved: bool = False
    pauses_sla: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    label: Text
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    comment_required: bool = False
    notify_talent: bool = False
    requires_materials: bool = False
    style: str = "default"

    def allows(self, role: str | None) -> bool:
        return role is not None and (role in self.roles or role == "admin")


@dataclass(frozen=True)
class SlaTarget:
    first_response_hours: float
    resolution_days: int


@dataclass(frozen=True)
class FastTrack:
    """A fast-track rule: talents of some tiers or key industries get at most these
    targets and at least this priority. ``label`` is the reason shown on the ticket."""

    id: str
    label: Text
    tiers: frozenset[str] = frozenset()
    key_industries: tuple[str, ...] = ()
    first_response_hours: float | None = None
    resolution_days: int | None = None
    priority: str | None = None

    def covers(self, *, tier: str, key_industry: str) -> bool:
        industry = (key_industry or "").strip().casefold()
        return tier in self.tiers or (
            bool(industry) and industry in {i.casefold() for i in self.key_industries}
        )

    def tighten(self, target: SlaTarget) -> SlaTarget:
        """The shorter of the workflow's target and the rule's."""
        return SlaTarget(
            first_response_hours=min(target.first_response_hours,
                                     self.first_response_hours or target.first_response_hours),
            resolution_days=min(target.resolution_days, self.resolution_days or target.resolution_days),
        )


@dataclass(frozen=True)
class Workflow:
    key: str
    version: int
    name: Text
    description: Text | None
    keywords: dict[str, tuple[str, ...]]
    materials: tuple[Material, ...]
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    sla: dict[str, SlaTarget]
    routing_windows: tuple[str, ...] = ()
    routing_skills: tuple[str, ...] = ()
    fast_track: tuple[FastTrack, ...] = ()
    # Every new ticket leaves an in-app notice for the centre's supervisors (complaints).
    notify_supervisors_on_open: bool = False
    # False: a caller's name and phone are enough to open the request (a policy question);
    # True: the talent's nationality (region) and document must be on record.
    identity_required: bool = True
    digest: str = ""
    source: dict = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def initial_state(self) -> State:
        return next(state for state in self.states if state.initial)

    def state(self, state_id: str) -> State:
        for state in self.states:
            if state.id == state_id:
                return state
        raise KeyError(state_id)

    def material(self, material_id: str) -> Material:
        for material in self.materials:
            if material.id == material_id:
                return material
        raise KeyError(material_id)

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def transitions_from(self, state_id: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if state_id in t.sources)

    def actions_for(self, state_id: str, role: str | None) -> tuple[Transition, ...]:
        """The transitions a role may take from a state, in file order."""
        return tuple(t for t in self.transitions_from(state_id) if t.allows(role))

    def sla_target(self, priority: str, fast_track: str = "") -> SlaTarget:
        """The targets of a priority, tightened by the named fast-track rule (if any)."""
        target = self.sla[priority]
        rule = self.fast_track_rule(fast_track)
        return rule.tighten(target) if rule is not None else target

    def fast_track_rule(self, rule_id: str) -> FastTrack | None:
        return next((r for r in self.fast_track if r.id == rule_id), None) if rule_id else None

    def fast_track_for(self, *, tier: str, key_industry: str) -> FastTrack | None:
        """The first rule covering a talent of this tier and key industry, or None."""
        return next((r for r in self.fast_track if r.covers(tier=tier, key_industry=key_industry)), None)

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(s.id for s in self.states if s.final)

    @property
    def paused_states(self) -> frozenset[str]:
        return frozenset(s.id for s in self.states if s.pauses_sla)

    @property
    def resolved_states(self) -> frozenset[str]:
        return frozenset(s.id for s in self.states if s.resolved)
