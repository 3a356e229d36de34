"""One child's episodes → placements and events, with the checks between episodes.

``History`` works on its own: give it a child's episodes, ``build()``, and read its
``placements``, ``events`` and ``problems``."""

from __future__ import annotations

from datetime import date

from timelines.load.ssda903.codes import (
    CATEGORY_OF_NEED,
    CONTINUES,
    KEY_LEGAL_STATUS,
    LEGAL_STATUS,
    PLACE_CODES,
    PLACE_PROVIDER,
    REASON_PLACE_CHANGE,
    REC_CODES,
    RNE_CODES,
    SAME_CARERS,
    SOURCE,
    place_label,
    place_short,
)
from timelines.load.ssda903.episodes import Episode, row_of
from timelines.model.dates import FuzzyDate, plain_duration
from timelines.model.problems import Problem
from timelines.model.records import Event, Placement


class History:
    """One child's episodes → placements and events, with the checks between episodes."""

    def __init__(self, child: str, episodes: list[Episode]):
        self.child = child
        self.episodes = sorted(episodes, key=lambda e: (e.start, e.end or date.max, e.order))
        self.first: Episode | None = None  # the first episode of the placement being built
        self.placements: list[Placement] = []
        self.events: list[Event] = []
        self.problems: list[Problem] = []

    def build(self) -> History:
        """Work through the episodes in order; returns itself, its lists filled."""
        previous: Episode | None = None
        for episode in self.episodes:
            self._check_codes(episode)
            if previous is None:
                self._start_period(episode)
            else:
                self._follow(previous, episode)
            previous = episode
        if previous is not None:
            self._finish(previous)
        return self

    def _problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def _event(
        self,
        day: date,
        label: str,
        category: str,
        detail: str,
        episode: Episode,
        key: bool = False,
    ) -> None:
        self.events.append(
            Event(
                FuzzyDate.exact(day),
                label,
                category,
                detail,
                SOURCE,
                key,
                False,
                self.child,
                episode.origin,
            )
        )

    def _follow(self, previous: Episode, episode: Episode) -> None:
        end = previous.end
        if end is None or end > episode.start:
            self._overlap(previous, episode)
            self._close_placement(episode.start, previous)
            self._move(episode, previous)
            self._legal_status(episode, previous)
            return
        if end < episode.start:
            self._gap(previous, episode)
            self._leave(previous)
            self._close_placement(end, previous)
            self._start_period(episode)
            return
        if previous.rec and previous.rec != CONTINUES:
            self._problem(
                episode.warn(
                    "decom",
                    (
                        f"the episode before ({row_of(previous, episode)}) ended with REC"
                        f" {previous.rec} (left care) but this one starts the same day"
                    ),
                )
            )
            self._leave(previous)
            self._close_placement(end, previous)
            self._start_period(episode)
            return
        if episode.code("rne") == "L" and episode.place_key() == previous.place_key():
            if not self._legal_status(episode, previous):
                self._problem(
                    episode.warn(
                        "rne",
                        (
                            "new episode for a change of legal status (RNE L), but LS is the same"
                            f" as the episode before ({previous.code('ls') or 'blank'})"
                        ),
                    )
                )
            return
        self._close_placement(end, previous)
        self._move(episode, previous)
        self._legal_status(episode, previous)

    def _move(self, episode: Episode, previous: Episode) -> None:
        """A new placement within a period of care, and an event saying so (from RNE)."""
        rne = episode.code("rne")
        same_carers = rne in SAME_CARERS
        what = "Same carers" if same_carers else "Moved"
        parts = [place_label(episode.code("place"))]
        if rne in RNE_CODES:
            parts.append(f"new episode: {RNE_CODES[rne]} (RNE {rne})")
        if rne == "L":
            parts[-1] += ", but the placement changed"
            message = (
                "new episode for a change of legal status only (RNE L), but the placement"
                " (PLACE, PLACE_PROVIDER, PL_POST or URN) changed; drawn as a move"
            )
            self._problem(episode.warn("rne", message))
        ended = _end_reason(previous, episode.start)
        if ended:
            parts.append(f"previous placement {ended}")
        label = f"{what}: {place_short(episode.code('place'))}"
        self._event(episode.start, label, "placement", "; ".join(parts), episode)
        self._new_placement(episode)

    def _overlap(self, previous: Episode, episode: Episode) -> None:
        ends = "has no end date" if previous.end is None else f"ends {previous.end:%d/%m/%Y}"
        if previous.rec not in ("", CONTINUES):
            meaning = REC_CODES.get(previous.rec, ("", "unknown reason", ""))[1]
            ends += f" (REC {previous.rec}: {meaning}, not drawn)"
        self._problem(
            episode.warn(
                "decom",
                (
                    f"episode starts {episode.start:%d/%m/%Y}, before the episode in"
                    f" {row_of(previous, episode)} (starting"
                    f" {previous.start:%d/%m/%Y}) {ends}; that placement is drawn as ending"
                    f" {episode.start:%d/%m/%Y}"
                ),
            )
        )

    def _gap(self, previous: Episode, episode: Episode) -> None:
        assert previous.end is not None  # a gap follows an episode that ended
        days = (episode.start - previous.end).days
        why = (
            f"left care ({previous.rec}) and came back"
            if previous.rec not in ("", CONTINUES)
            else f"the episode before ended with REC {previous.rec or 'blank'}, so a new"
            " episode should start the same day"
        )
        self._problem(
            episode.warn(
                "decom",
                (
                    f"not looked after for {plain_duration(days)} before this episode: the"
                    f" episode in {row_of(previous, episode)} ended {previous.end:%d/%m/%Y}; {why}"
                ),
            )
        )

    def _start_period(self, episode: Episode) -> None:
        rne = episode.code("rne")
        first = rne == "S"
        label = "Started to be looked after" if first else "Looked after (start not in the data)"
        if first and episode is not self.episodes[0]:
            label = "Started to be looked after again"
        parts = [place_label(episode.code("place"))]
        if not first:
            meaning = RNE_CODES.get(rne, "unknown code")
            parts.append(f"first episode in the data is a {meaning} (RNE {rne or 'blank'})")
        need = episode.code("cin")
        if need:
            parts.append(f"category of need: {CATEGORY_OF_NEED.get(need, 'unknown')} ({need})")
        self._event(episode.start, label, "placement", "; ".join(parts), episode, key=first)
        self._new_placement(episode)
        self._legal_status(episode, None)

    def _legal_status(self, episode: Episode, previous: Episode | None) -> bool:
        """An event when the legal status is new or changed; False when it did not change."""
        code = episode.code("ls")
        if previous is not None and code == previous.code("ls"):
            return False
        if not code:
            self._problem(episode.warn("ls", "no legal status (LS) given"))
            return True
        short, meaning = LEGAL_STATUS.get(code, (f"unknown code {code}", "unknown legal status"))
        self._event(
            episode.start,
            f"Legal status: {short} ({code})",
            "order",
            meaning,
            episode,
            key=code in KEY_LEGAL_STATUS,
        )
        return True

    def _leave(self, episode: Episode) -> None:
        rec = episode.rec
        if not rec or rec == CONTINUES or episode.end is None:
            return
        short, meaning, category = REC_CODES.get(rec, (f"code {rec}", "unknown reason", "other"))
        self._event(
            episode.end, f"Left care: {short} ({rec})", category, meaning, episode, key=True
        )
        if rec == "E2" and episode is not self.episodes[-1]:
            self._problem(
                episode.warn("rec", "child recorded as died (E2) but later episodes follow")
            )

    def _finish(self, last: Episode) -> None:
        if last.end is not None and last.rec in ("", CONTINUES):
            self._problem(
                last.warn(
                    "rec",
                    (
                        f"the last episode ends {last.end:%d/%m/%Y} with REC {last.rec or 'blank'}"
                        " (a new episode the same day) but no later episode is in the data"
                    ),
                )
            )
        self._leave(last)
        self._close_placement(last.end, last)

    def _new_placement(self, episode: Episode) -> None:
        self.first = episode

    def _close_placement(self, end: date | None, last: Episode) -> None:
        first = self.first
        if first is None:
            return
        code = first.code("place")
        kind = PLACE_CODES.get(code, ("other", ""))[0]
        reasons = []
        if first.code("rne") in SAME_CARERS:
            reasons.append(f"same carer(s) as before (RNE {first.code('rne')})")
        reasons.append(_end_reason(last, end))
        self.placements.append(
            Placement(
                first.start,
                end,
                kind,
                reason="; ".join(r for r in reasons if r),
                child_id=self.child,
                code=code,
                origin=first.origin,
                description=place_label(code),  # 903 names no carer: carer stays empty
            )
        )
        self.first = None

    def _check_codes(self, episode: Episode) -> None:
        lists = (
            ("place", PLACE_CODES),
            ("ls", LEGAL_STATUS),
            ("rne", RNE_CODES),
            ("cin", CATEGORY_OF_NEED),
            ("place_provider", PLACE_PROVIDER),
            ("reason_place_change", REASON_PLACE_CHANGE),
        )
        for column, codes in lists:
            code = episode.code(column)
            if code and code not in codes:
                drawn = "; drawn as other" if column == "place" else ""
                self._problem(
                    episode.warn(column, f"unknown {column.upper()} code '{code}'{drawn}")
                )
        if not episode.code("place"):
            self._problem(episode.warn("place", "no placement type (PLACE) given; drawn as other"))
        if episode.rec and episode.rec not in REC_CODES:
            self._problem(episode.warn("rec", f"unknown REC code '{episode.rec}'"))


def _end_reason(last: Episode, end: date | None) -> str:
    if end is None:
        return ""
    if last.rec and last.rec != CONTINUES and last.end == end:
        meaning = REC_CODES.get(last.rec, ("", "unknown reason", ""))[1]
        return f"ended: {meaning} ({last.rec})"
    code = last.code("reason_place_change")
    if code:
        return f"ended: {REASON_PLACE_CHANGE.get(code, 'unknown reason')} ({code})"
    return ""
