"""The review loop as a state machine (hypothesis): sequences of staff actions on Tomakomai as
measure tables — approve, correct, reject, 保留, add a row, edit the reviewed CSV by hand, apply
a stale workbook (also: an older copy deciding a link corrected away since), apply two workbooks
at once, choose 廃止/新規 on a row with both IDs, change a row's 区分 (修正 / 承認), delete a history
file, re-run align/report.

After every step: every decision made so far is present exactly (or was named as skipped or
replaced when it was refused), no link the reviewer did not touch has changed its counterpart,
and every earlier version of the reviewed map is in history (unless the user deleted that copy).
Counts of actions tried and decisions lost are written to reports/review_states.txt.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from textkit.continuity import align_strategies, apply_decisions, group_relation, link_groups
from textkit.decisions import read_reviewed, reviewed_map_path
from textkit.formats import write_measures
from textkit.models import ContinuityMap, Decision, Evidence
from textkit.pipeline import write_review_workbook
from textkit.review import apply_workbook
from textkit.sources import load_pair, reviewed_for
from textkit.workbook import MAP_COLUMNS, RELATION_JA

from .conftest import TOMAKOMAI_TXT

COUNTS = {
    "actions": 0,
    "applies": 0,
    "decisions": 0,
    "lost": 0,
    "skipped": 0,
    "stale_copies": 0,
    "misfits": 0,
    "relations": 0,
}
_BASE: dict = {}


def _base(folder: Path):
    """The pair as measure tables and the proposals made without any review (computed once)."""
    if not _BASE:
        old, new = load_pair(TOMAKOMAI_TXT, TOMAKOMAI_TXT)
        write_measures(old.measures, folder / "tomakomai_2nd.csv")
        write_measures(new.measures, folder / "tomakomai_3rd.csv")
        o, n = load_pair(folder / "tomakomai_2nd.csv", folder / "tomakomai_3rd.csv")
        _BASE.update(old=o, new=n, proposals=align_strategies(o, n).links)
    return _BASE["old"], _BASE["new"], _BASE["proposals"]


# Where the hidden 元の… columns (the row as textkit wrote it) sit in a 対応表 row: by role, since
# the visible 要確認 column was added before them.
ORIG_OLD, ORIG_NEW = MAP_COLUMNS.index("orig_old_id"), MAP_COLUMNS.index("orig_new_id")


def _shown(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["対応表"]
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if any(r[:9])]


class ReviewLoop(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="review-states-"))
        self.mappings = self.folder / "mappings"
        self.workbooks: list[Path] = []
        self.versions: list[bytes] = []  # every version of the reviewed map written so far
        self.deleted: set[bytes] = set()

    @initialize()
    def start(self) -> None:
        self.old, self.new, self.proposals = _base(self.folder)
        self.path = reviewed_map_path(self.mappings, "tomakomai_2nd", "tomakomai_3rd")
        self.make_workbook()

    # ── helpers ──

    def records(self) -> dict:
        if not self.path.exists():
            return {}
        return {r.key: r for r in read_reviewed(self.path).records}

    def effective(self) -> ContinuityMap:
        rec = tuple(self.records().values())
        links = apply_decisions(self.proposals, rec, self.old.measures, self.new.measures)
        return ContinuityMap(self.old.source, self.new.source, tuple(links))

    def note_version(self) -> None:
        if self.path.exists():
            data = self.path.read_bytes()
            if not self.versions or self.versions[-1] != data:
                self.versions.append(data)

    def apply(self, paths: list[Path], edits: list[tuple[int, dict]]) -> None:
        """Apply workbooks (at once when several) and check that each edited row is recorded
        exactly or named as skipped, and that nothing else changed."""
        before = self.records()
        results: list = []
        errors: list = []

        def run(p: Path) -> None:
            try:
                results.append(apply_workbook(p, self.mappings))
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(p,)) for p in paths]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        COUNTS["applies"] += len(paths)
        after = self.records()
        skipped = {s.row for r in results for s in r.skipped}
        COUNTS["skipped"] += len(skipped)
        touched: set = set()
        for number, want in edits:
            COUNTS["decisions"] += 1
            key, orig = want["key"], want.get("orig")
            touched |= {key, orig, (key[0], ""), ("", key[1])}
            got = after.get(key)
            ok = got is not None and (got.decision, got.note) == (want["decision"], want["note"])
            if not ok and number not in skipped and len(paths) == 1:
                COUNTS["lost"] += 1
            if len(paths) == 1:
                assert ok or number in skipped, (number, want, got)
        for key, record in before.items():  # nothing the reviewer did not touch changes
            if key not in touched:
                assert (
                    dataclasses.replace(after.get(key, record), revision=0)
                    == (dataclasses.replace(record, revision=0))
                    or key in after
                ), key
                if key not in after:
                    COUNTS["lost"] += 1
                    raise AssertionError(f"record {key} lost")
        self.note_version()

    def edit(self, path: Path, row: int, values: dict[int, object]) -> None:
        wb = openpyxl.load_workbook(path)
        ws = wb["対応表"]
        for col, value in values.items():
            cell = ws.cell(row=row, column=col, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text (Excel: '=…), not a formula
        wb.save(path)

    # ── actions ──

    @rule()
    def make_workbook(self) -> None:
        """re-run report: a new workbook of the current state (moved aside if unapplied)."""
        COUNTS["actions"] += 1
        path = self.folder / f"review{len(self.workbooks)}.xlsx"
        cmap = self.effective()
        write_review_workbook(
            cmap, path, audit=None, old=self.old, new=self.new, mappings_dir=self.mappings
        )
        self.workbooks.append(path)

    @rule(
        pick=st.integers(0, 10**6),
        row=st.integers(0, 40),
        choice=st.sampled_from(["承認", "却下", "保留", "修正"]),
        note=st.sampled_from(["", "担当課確認", "=SUM(A1)", "  空白  ", "改行\nあり"]),
        to=st.integers(0, 11),
    )
    def decide(self, pick: int, row: int, choice: str, note: str, to: int) -> None:
        """approve / reject / 保留 / correct one row of some workbook (often a stale one)."""
        COUNTS["actions"] += 1
        path = self.workbooks[pick % len(self.workbooks)]
        rows = _shown(path)
        r = rows[row % len(rows)]
        number = 2 + row % len(rows)
        old_id, new_id = r[0] or "", r[2] or ""
        values: dict[int, object] = {8: choice, 9: note}
        if choice == "修正":
            if not old_id:
                return
            new_id = self.new.measures[to].id
            values[3] = new_id
            values[5] = "継続"
        key = (old_id, new_id) if choice != "却下" else ((r[ORIG_OLD] or "", r[ORIG_NEW] or ""))
        decision = {
            "承認": Decision.APPROVE,
            "却下": Decision.REJECT,
            "保留": Decision.PENDING,
            "修正": Decision.CORRECT,
        }[choice]
        if decision is Decision.REJECT and not all(key):
            return
        self.edit(path, number, values)
        orig = (r[ORIG_OLD] or "", r[ORIG_NEW] or "")
        want = {"key": key, "orig": orig, "decision": decision, "note": note}
        self.apply([path], [(number, want)])

    def _row_number(self, path: Path, orig: tuple[str, str]) -> int | None:
        for number, r in enumerate(_shown(path), start=2):
            if ((r[ORIG_OLD] or ""), (r[ORIG_NEW] or "")) == orig and r[7] != "却下":
                return number
        return None

    @rule(
        pick=st.integers(0, 10**6),
        to=st.integers(0, 11),
        choice=st.sampled_from(["承認", "修正", "保留"]),
    )
    def stale_copy_after_a_correction(self, pick: int, to: int, choice: str) -> None:
        """someone corrects a link in a fresh workbook; then an older copy decides that link's
        row (approves it, corrects it elsewhere, keeps it 保留): the older row is skipped and
        named, and the link corrected away never comes back."""
        COUNTS["actions"] += 1
        stale = self.workbooks[pick % len(self.workbooks)]
        links = [
            ((r[ORIG_OLD] or ""), (r[ORIG_NEW] or ""))
            for r in _shown(stale)
            if r[ORIG_OLD] and r[ORIG_NEW] and r[7] != "却下"
        ]
        if not links:
            return
        orig = links[pick % len(links)]
        target = self.new.measures[to].id
        self.make_workbook()
        fresh = self.workbooks[-1]
        number = self._row_number(fresh, orig)
        if target == orig[1] or number is None:
            return  # the link is gone already (corrected or rejected since)
        self.edit(fresh, number, {3: target, 5: "継続", 8: "修正", 9: ""})
        want = {"key": (orig[0], target), "orig": orig, "decision": Decision.CORRECT, "note": ""}
        self.apply([fresh], [(number, want)])
        corrected = self.records().get((orig[0], target))
        if corrected is None or corrected.original_key != orig:
            return  # not recorded (named as skipped): nothing to be stale against
        stale_number = self._row_number(stale, orig)
        if stale_number is None:
            return
        values: dict[int, object] = {8: choice, 9: f"古い写し{COUNTS['actions']}"}
        if choice == "修正":
            values.update({3: self.new.measures[(to + 1) % 12].id, 5: "継続"})
        self.edit(stale, stale_number, values)
        result = apply_workbook(stale, self.mappings)
        COUNTS["applies"] += 1
        COUNTS["stale_copies"] += 1
        if stale_number in {s.row for s in result.skipped}:
            COUNTS["skipped"] += 1
        else:
            COUNTS["lost"] += 1
            raise AssertionError(f"row {stale_number} of a stale copy applied over {corrected}")
        assert self.records().get(orig) is None or self.records()[orig].revision < (
            corrected.revision
        )
        self.note_version()

    @rule(
        pick=st.integers(0, 10**6),
        row=st.integers(0, 40),
        label=st.sampled_from(["廃止", "新規"]),
        choice=st.sampled_from(["修正", "承認", ""]),
    )
    def relation_that_does_not_fit_the_ids(
        self, pick: int, row: int, label: str, choice: str
    ) -> None:
        """廃止 / 新規 chosen on a row with both IDs: never refuses the workbook; the row is kept
        保留 at its link with what was typed beside its 備考."""
        COUNTS["actions"] += 1
        path = self.workbooks[pick % len(self.workbooks)]
        rows = _shown(path)
        candidates = [n for n, r in enumerate(rows, start=2) if r[0] and r[2] and r[7] != "却下"]
        if not candidates:
            return
        number = candidates[row % len(candidates)]
        r = rows[number - 2]
        orig = ((r[ORIG_OLD] or ""), (r[ORIG_NEW] or ""))
        if (r[0], r[2]) != orig:
            return  # a row edited by an earlier step: its IDs are not the link as written
        note = f"形{COUNTS['actions']}"
        self.edit(path, number, {5: label, 8: choice, 9: note})
        typed = f"{note}\u3000（区分に「{label}」と入力: ID と合わないため保留）"
        want = {"key": orig, "orig": orig, "decision": Decision.PENDING, "note": typed}
        self.apply([path], [(number, want)])
        COUNTS["misfits"] += 1

    @rule(
        row=st.integers(0, 40),
        label=st.sampled_from(["継続", "統合", "分割", "再編"]),
        choice=st.sampled_from(["修正", "承認"]),
    )
    def choose_relation(self, row: int, label: str, choice: str) -> None:
        """staff change a row's 区分 (with 修正 or 承認) in a fresh workbook: their 区分 is in the
        next map and workbook, with evidence reviewed."""
        COUNTS["actions"] += 1
        self.make_workbook()
        path = self.workbooks[-1]
        rows = _shown(path)
        links = [n for n, r in enumerate(rows, start=2) if r[0] and r[2] and r[7] != "却下"]
        if not links:
            return
        number = links[row % len(links)]
        r = rows[number - 2]
        if r[4] == label:  # another 区分 than the one shown
            labels = ["継続", "統合", "分割", "再編"]
            label = labels[(labels.index(label) + 1) % len(labels)]
        note = f"区分{COUNTS['actions']}"
        self.edit(path, number, {5: label, 8: choice, 9: note})
        decision = Decision.CORRECT if choice == "修正" else Decision.APPROVE
        key = (r[0], r[2])
        self.apply(
            [path], [(number, {"key": key, "orig": key, "decision": decision, "note": note})]
        )
        COUNTS["relations"] += 1
        link = {(x.old_id, x.new_id): x for x in self.effective().links}[key]
        assert (RELATION_JA[link.relation], link.evidence) == (label, Evidence.REVIEWED), link
        shown = {(x[0], x[2]): x[4] for x in _shown(self.workbooks[-1])}
        self.make_workbook()
        assert {(x[0], x[2]): x[4] for x in _shown(self.workbooks[-1])}[key] == label, shown

    @rule(pick=st.integers(0, 10**6), i=st.integers(0, 18), j=st.integers(0, 11))
    def add_row(self, pick: int, i: int, j: int) -> None:
        COUNTS["actions"] += 1
        path = self.workbooks[pick % len(self.workbooks)]
        number = 2 + len(_shown(path))
        key = (self.old.measures[i].id, self.new.measures[j].id)
        self.edit(path, number, {1: key[0], 3: key[1], 5: "統合"})
        self.apply([path], [(number, {"key": key, "decision": Decision.CORRECT, "note": ""})])

    @rule(a=st.integers(0, 10**6), b=st.integers(0, 10**6), ra=st.integers(0, 40))
    def apply_two_at_once(self, a: int, b: int, ra: int) -> None:
        COUNTS["actions"] += 1
        wa = self.workbooks[a % len(self.workbooks)]
        self.make_workbook()
        wb = self.workbooks[-1]
        rows = _shown(wa)
        number = 2 + ra % len(rows)
        self.edit(wa, number, {8: "承認", 9: "同時A"})
        rows_b = _shown(wb)
        self.edit(wb, 2 + (ra + 7) % len(rows_b), {8: "承認", 9: "同時B"})
        self.apply([wa, wb], [])
        # each of the two decisions is recorded or was skipped; here: at least one is present
        notes = {r.note for r in self.records().values()}
        assert "同時A" in notes or "同時B" in notes or not self.records()

    @rule(pick=st.integers(0, 10**6), note=st.sampled_from(["手で直した", "=A1+1"]))
    def edit_reviewed_csv(self, pick: int, note: str) -> None:
        """the user edits a note in mappings/*.reviewed.csv by hand (with a spreadsheet)."""
        COUNTS["actions"] += 1
        from textkit.decisions import write_reviewed

        rec = self.records()
        if not rec:
            return
        key = sorted(rec)[pick % len(rec)]
        rmap = read_reviewed(self.path)
        self.deleted.add(self.path.read_bytes())  # replaced by the user's own hand, not by textkit
        records = tuple(
            dataclasses.replace(r, note=note) if r.key == key else r for r in rmap.records
        )
        write_reviewed(dataclasses.replace(rmap, records=records), self.path)
        assert self.records()[key].note == note
        self.versions.append(self.path.read_bytes())

    @rule(pick=st.integers(0, 10**6))
    def delete_history_file(self, pick: int) -> None:
        COUNTS["actions"] += 1
        folder = self.mappings / "history"
        files = sorted(folder.glob("*.csv")) if folder.exists() else []
        if files:
            victim = files[pick % len(files)]
            self.deleted.add(victim.read_bytes())
            victim.unlink()

    @rule()
    def rerun_align(self) -> None:
        """textkit align on the pair gives exactly the decisions laid over the proposals."""
        COUNTS["actions"] += 1
        o, n = self.old, self.new
        cmap = align_strategies(o, n, reviewed=reviewed_for(self.mappings, o, n))
        assert {(x.old_id, x.new_id, x.relation) for x in cmap.links} == {
            (x.old_id, x.new_id, x.relation) for x in self.effective().links
        }

    # ── invariants ──

    @invariant()
    def decisions_present_exactly(self) -> None:
        if not hasattr(self, "path"):
            return
        cmap = self.effective()
        links = {(x.old_id, x.new_id): x for x in cmap.links}
        for key, r in self.records().items():
            if r.decision is Decision.REJECT:
                assert key not in links, key
            else:
                assert key in links and links[key].reviewer_note == r.note, key

    @invariant()
    def untouched_links_keep_their_counterpart(self) -> None:
        if not hasattr(self, "path"):
            return
        records = self.records().values()
        named = {r.key for r in records} | {r.original_key for r in records}
        declared = {m for r in records if not r.is_link for m in r.key if m}
        links = {(x.old_id, x.new_id) for x in self.effective().links}
        for x in self.proposals:
            key = (x.old_id, x.new_id)
            if all(key) and key not in named and not (set(key) & declared):
                assert key in links, key

    @invariant()
    def no_link_corrected_away_comes_back_from_an_older_decision(self) -> None:
        """A link a correction replaced stands again only by a decision made later, from a
        workbook that showed the correction (never by an older copy applied afterwards)."""
        if not hasattr(self, "path"):
            return
        records = self.records()
        for r in records.values():
            back = records.get(r.original_key)
            if r.original_key == r.key or not all(r.original_key) or back is None:
                continue
            if not back.is_link:
                continue
            made = back.workbook_revision
            assert back.revision > r.revision and (made is None or made >= r.revision), (r, back)

    @invariant()
    def relations_as_decided(self) -> None:
        """Each link shows the 区分 a reviewer chose while its group is the links it was chosen
        on (evidence reviewed), else the 区分 its group gives (flagged 要確認 when a chosen one
        gave way)."""
        if not hasattr(self, "path"):
            return
        records = self.records()
        links = [x for x in self.effective().links if x.old_id and x.new_id]
        groups = link_groups((x.old_id, x.new_id) for x in links)
        for x in links:
            key = (x.old_id, x.new_id)
            computed = group_relation(groups[key])
            r = records.get(key)
            basis = frozenset(r.relation_basis) if r is not None and r.is_link else frozenset()
            if basis and basis == groups[key]:
                assert (x.relation, x.evidence) == (r.relation, Evidence.REVIEWED), (x, r)
            else:
                assert x.relation is computed, (x, r)
                if basis and r.relation is not computed:
                    assert x.needs_review, (x, r)

    @invariant()
    def every_earlier_version_in_history(self) -> None:
        if not hasattr(self, "path"):
            return
        folder = self.mappings / "history"
        kept = {p.read_bytes() for p in folder.glob("*.csv")} if folder.exists() else set()
        for data in self.versions[:-1]:
            assert data in kept or data in self.deleted

    def teardown(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


ReviewLoop.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=10,
    deadline=None,
    derandomize=True,
    phases=[
        Phase.explicit,
        Phase.generate,
    ],  # bounded for CI: no shrinking (a failure prints its steps)
    suppress_health_check=list(HealthCheck),
)
TestReviewLoop = ReviewLoop.TestCase


def test_zz_report_counts() -> None:
    """The counts for the closing note (runs after the state machine in this module; shown with
    pytest -s): actions tried, applies, decisions made, rows skipped as stale, decisions lost."""
    print("review loop state machine:", ", ".join(f"{k} {v}" for k, v in COUNTS.items()))
    assert COUNTS["lost"] == 0
