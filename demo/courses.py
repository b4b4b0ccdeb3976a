"""Writes the demo course pages, their sessions and relations, in bulk.

Each course goes into its institute's folder under the catalogue (`courses.folders`).

Why not `folder.add_child(instance=page)` then `save_revision().publish()` per course: that
costs about a hundred queries per course (validation, tree bookkeeping, one save per session
and relation, revision, publish, log entries, search and reference indexing); measured on
this project's 2-core machine, 0.3 s a course, several minutes for a thousand. Here a page is
inserted with two INSERTs and no per-page validation (the tests validate the demo data
instead), and everything else goes in bulk, a batch of pages at a time:

- tree fields (`path`, `depth`, `numchild`, `url_path`, `locale`) are set the way treebeard
  and Wagtail set them, then each folder's `numchild` is bumped once;
- sessions, skills taught, instructors, audiences and languages are `bulk_create`d, and the
  sessions' meetings written in bulk from their schedules (`courses.meetings.sync_many`; a
  session moved to other dates on a later day's rerun takes its meetings, and the attendance
  recorded at them, along);
- each page gets one revision (its `latest_revision` and `live_revision`), made from the same
  `serializable_data()` as `save_revision()`, so the admin edit view and history work;
- the search index (`add_bulk`) and the reference index are updated once per batch, with the
  per-save signal handlers paused meanwhile.

On a rerun, each course is compared with its plan; unchanged courses are not written at all,
changed ones are updated in place (sessions keep their ids, in `sort_order`, so enrolments
made later stay attached) and get a new revision.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex, Revision

from courses.folders import institute_folder
from courses.meetings import sync_many
from courses.models import CourseInstructor, CoursePage, CourseSkill, Meeting, Session
from demo.indexing import index_objects, paused_indexing

BATCH_SIZE = 250

PAGE_FIELDS = [
    "title",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
]
COURSE_FIELDS = [
    "format",
    "level",
    "summary",
    "body",
    "outcomes",
    "prerequisites",
    "duration_hours",
    "institute",
    "cover_image",
]
SESSION_FIELDS = [
    "starts_at",
    "ends_at",
    "mode",
    "institute",
    "language",
    "online_url",
    "capacity",
    "waitlist_enabled",
    "enrolment_opens_at",
    "enrolment_closes_at",
    "status",
    "sort_order",
]

Audiences = CoursePage.audiences.through
Languages = CoursePage.languages.through


@dataclass
class Lookups:
    """The objects course plans refer to by slug, name or number."""

    institutes: dict  # slug -> InstitutePage
    skills: dict  # slug -> Skill
    instructors: dict  # name -> Instructor
    covers: list  # index -> Image
    audiences: dict  # slug -> Audience
    languages: dict  # code -> Language


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Stored:
    """What the database holds for one course's relations."""

    skills: list = field(default_factory=list)
    instructors: list = field(default_factory=list)
    audiences: set = field(default_factory=set)
    languages: set = field(default_factory=set)
    sessions: list = field(default_factory=list)


class CourseWriter:
    """Brings the catalogue's demo courses in line with their plans."""

    def __init__(self, catalogue, lookups: Lookups, now, progress):
        self.catalogue = catalogue
        self.lookups = lookups
        self.now = now
        self.progress = progress
        self.counts = Counts()
        self.course_type = ContentType.objects.get_for_model(CoursePage)
        self.page_type = ContentType.objects.get_for_model(Page)
        self._institute_by_pk = {i.pk: i for i in lookups.institutes.values()}
        self._folders = {}  # institute pk -> its folder
        self._next_position = {}  # folder pk -> position of its next new child

    def write(self, plans) -> list[CoursePage]:
        """The pages of `plans`, in order, created or updated as needed."""
        existing = {
            page.slug: page
            for page in CoursePage.objects.descendant_of(self.catalogue).filter(
                slug__in=[plan.slug for plan in plans]
            )
        }
        stored = self._stored(existing.values())

        pages = []
        with paused_indexing(CoursePage):
            for start in range(0, len(plans), BATCH_SIZE):
                batch = plans[start : start + BATCH_SIZE]
                pages.extend(self._write_batch(batch, existing, stored))
                self.progress.update(len(batch))
        return pages

    # Reading what is there

    def _stored(self, pages):
        ids = [page.pk for page in pages]
        stored = defaultdict(_Stored)
        for chunk in _chunks(ids, 5000):
            for skill in CourseSkill.objects.filter(course_id__in=chunk).order_by(
                "sort_order", "pk"
            ):
                stored[skill.course_id].skills.append(skill)
            for instructor in CourseInstructor.objects.filter(course_id__in=chunk).order_by(
                "sort_order", "pk"
            ):
                stored[instructor.course_id].instructors.append(instructor)
            for course_id, audience_id in Audiences.objects.filter(
                coursepage_id__in=chunk
            ).values_list("coursepage_id", "audience_id"):
                stored[course_id].audiences.add(audience_id)
            for course_id, language_id in Languages.objects.filter(
                coursepage_id__in=chunk
            ).values_list("coursepage_id", "language_id"):
                stored[course_id].languages.add(language_id)
            for session in Session.objects.filter(course_id__in=chunk).order_by("sort_order", "pk"):
                stored[session.course_id].sessions.append(session)
        return stored

    # Writing one batch

    def _write_batch(self, plans, existing, stored):
        new, changed, pages = [], [], []
        for plan in plans:
            page = existing.get(plan.slug)
            if page is None:
                page = self._new_page(plan)
                new.append((page, plan))
            elif self._differs(page, plan, stored[page.pk]):
                self._apply_fields(page, plan)
                changed.append((page, plan))
            else:
                self.counts.unchanged += 1
            pages.append(page)

        self._insert_pages([page for page, _plan in new])
        if changed:
            changed_pages = [page for page, _plan in changed]
            Page.objects.bulk_update(changed_pages, PAGE_FIELDS)
            CoursePage.objects.bulk_update(changed_pages, COURSE_FIELDS)
            self._move_to_folders(changed_pages)
            self._delete_relations([page.pk for page in changed_pages])

        touched = new + changed
        self._write_relations(touched, stored)
        self._write_revisions([page for page, _plan in touched])
        self._index([page for page, _plan in touched], [page.pk for page, _plan in changed])
        self.counts.created += len(new)
        self.counts.updated += len(changed)
        return pages

    def _page_values(self, plan):
        """The field values a course page should have, keyed by attribute name."""
        lookups = self.lookups
        template = plan.template
        cover = lookups.covers[plan.cover % len(lookups.covers)] if lookups.covers else None
        return {
            "title": plan.title,
            "draft_title": plan.title,
            "live": True,
            "has_unpublished_changes": False,
            "format": template.format.value,
            "level": template.level.value,
            "summary": template.summary,
            "body": plan.body,
            "outcomes": plan.outcomes,
            "prerequisites": plan.prerequisites,
            "duration_hours": template.duration_hours,
            "institute_id": lookups.institutes[plan.institute].pk,
            "cover_image_id": cover.pk if cover else None,
        }

    def _new_page(self, plan):
        page = CoursePage(
            slug=plan.slug,
            first_published_at=self.now,
            last_published_at=self.now,
            **self._page_values(plan),
        )
        return page

    def _differs(self, page, plan, stored: _Stored):
        for name, value in self._page_values(plan).items():
            current = getattr(page, name)
            if name in ("body", "outcomes"):
                current = list(current.raw_data)
            if current != value:
                return True
        return (
            [(s.skill_id, s.level) for s in stored.skills] != self._skill_rows(plan)
            or [i.instructor_id for i in stored.instructors] != self._instructor_ids(plan)
            or stored.audiences != {a.pk for a in self._audiences(plan)}
            or stored.languages != {lang.pk for lang in self._languages(plan)}
            or [_session_values(s) for s in stored.sessions] != self._session_rows(plan)
        )

    def _apply_fields(self, page, plan):
        for name, value in self._page_values(plan).items():
            setattr(page, name, value)
        page.first_published_at = page.first_published_at or self.now
        page.last_published_at = self.now

    def _folder(self, institute_id):
        if institute_id not in self._folders:
            folder = institute_folder(self._institute_by_pk[institute_id])
            last = folder.get_last_child()
            self._folders[institute_id] = folder
            self._next_position[folder.pk] = last._get_lastpos_in_path() + 1 if last else 1
        return self._folders[institute_id]

    def _insert_pages(self, pages):
        """Append `pages` under their institute's folder, as treebeard's add_child would,
        without cleaning."""
        added = defaultdict(int)
        for page in pages:
            parent = self._folder(page.institute_id)
            depth = parent.depth + 1
            page.depth = depth
            page.path = CoursePage._get_path(parent.path, depth, self._next_position[parent.pk])
            page.numchild = 0
            page.locale_id = parent.locale_id
            page._cached_parent_obj = parent  # Page.save() builds url_path from it
            page._is_site_root = False  # spares Page.save() a query per page
            page.save(clean=False, log_action=None)
            self._next_position[parent.pk] += 1
            added[parent.pk] += 1
        for folder_pk, count in added.items():
            Page.objects.filter(pk=folder_pk).update(numchild=models.F("numchild") + count)

    def _move_to_folders(self, pages):
        """Courses whose plan names another institute go into that institute's folder."""
        for page in pages:
            folder = self._folder(page.institute_id)
            if page.path[: -CoursePage.steplen] != folder.path:
                page.move(folder, pos="last-child")
                page.refresh_from_db(fields=["path", "depth", "url_path"])
                self._folders.pop(page.institute_id)  # its numchild and last child changed

    def _delete_relations(self, ids):
        CourseSkill.objects.filter(course_id__in=ids).delete()
        CourseInstructor.objects.filter(course_id__in=ids).delete()
        Audiences.objects.filter(coursepage_id__in=ids).delete()
        Languages.objects.filter(coursepage_id__in=ids).delete()

    # Relations

    def _skill_rows(self, plan):
        return [(self.lookups.skills[slug].pk, level.value) for slug, level in plan.template.skills]

    def _instructor_ids(self, plan):
        return [self.lookups.instructors[name].pk for name in plan.template.instructors]

    def _audiences(self, plan):
        return [self.lookups.audiences[slug] for slug in plan.template.audiences]

    def _languages(self, plan):
        return [self.lookups.languages[code] for code in plan.template.languages]

    def _session_rows(self, plan):
        institutes = self.lookups.institutes
        return [
            (
                s.starts_at,
                s.ends_at,
                s.mode,
                institutes[s.institute].pk if s.institute else None,
                s.language,
                s.online_url,
                s.capacity,
                s.waitlist_enabled,
                s.enrolment_opens_at,
                s.enrolment_closes_at,
                s.status,
                order,
            )
            for order, s in enumerate(plan.sessions)
        ]

    def _write_relations(self, touched, stored):
        """Create skills, instructors, audiences and languages; sync sessions by sort order.

        The new rows are also put on each page in memory (modelcluster keeps them there until a
        `save()`, which never comes), so that the revision and the search index below read them
        without a query per page.
        """
        lookups = self.lookups
        skills, instructors, audiences, languages = [], [], [], []
        new_sessions, updated_sessions, stale_sessions = [], [], []
        moved = defaultdict(list)  # sessions moved to other dates, by how far
        in_memory = []
        for page, plan in touched:
            page_skills = [
                CourseSkill(course=page, skill=lookups.skills[slug], level=level, sort_order=i)
                for i, (slug, level) in enumerate(plan.template.skills)
            ]
            page_instructors = [
                CourseInstructor(course=page, instructor=lookups.instructors[name], sort_order=i)
                for i, name in enumerate(plan.template.instructors)
            ]
            page_audiences, page_languages = self._audiences(plan), self._languages(plan)
            skills += page_skills
            instructors += page_instructors
            audiences += [Audiences(coursepage_id=page.pk, audience=a) for a in page_audiences]
            languages += [
                Languages(coursepage_id=page.pk, language=lang) for lang in page_languages
            ]

            current = stored[page.pk].sessions if page.pk in stored else []
            page_sessions = []
            for row in self._session_rows(plan):
                values = dict(zip(SESSION_FIELDS, row, strict=True))
                values["institute"] = self._institute_by_pk.get(values["institute"])
                if current:
                    session = current.pop(0)
                    if _session_values(session) != row:
                        moved_by = values["starts_at"] - session.starts_at
                        for name, value in values.items():
                            setattr(session, name, value)
                        updated_sessions.append(session)
                        if moved_by:
                            moved[moved_by].append(session.pk)
                else:
                    session = Session(course=page, **values)
                    new_sessions.append(session)
                page_sessions.append(session)
            stale_sessions += [session.pk for session in current]
            in_memory.append(
                (
                    page,
                    {
                        "course_skills": page_skills,
                        "course_instructors": page_instructors,
                        "audiences": page_audiences,
                        "languages": page_languages,
                        "sessions": page_sessions,
                    },
                )
            )

        CourseSkill.objects.bulk_create(skills)
        CourseInstructor.objects.bulk_create(instructors)
        Audiences.objects.bulk_create(audiences)
        Languages.objects.bulk_create(languages)
        Session.objects.bulk_create(new_sessions)
        Session.objects.bulk_update(updated_sessions, SESSION_FIELDS)
        for delta, session_ids in moved.items():
            Meeting.objects.filter(session_id__in=session_ids).update(
                starts_at=models.F("starts_at") + delta, ends_at=models.F("ends_at") + delta
            )
        sync_many(new_sessions + updated_sessions)
        # Only sessions beyond --sessions-per-course, and only those nobody enrolled in:
        # enrolments protect their session (cancel it in the admin instead).
        Session.objects.filter(pk__in=stale_sessions, enrolments__isnull=True).delete()

        for page, relations in in_memory:
            for name, objects in relations.items():
                setattr(page, name, objects)

    # Revisions and indexes

    def _write_revisions(self, pages):
        """One revision per written page, as `save_revision()` + `publish()` would leave it."""
        if not pages:
            return
        Revision.objects.bulk_create(
            [
                Revision(
                    content_type=self.course_type,
                    base_content_type=self.page_type,
                    object_id=str(page.pk),
                    created_at=self.now,
                    object_str=page.title,
                    content=page.serializable_data(),
                )
                for page in pages
            ]
        )
        # One UPDATE … = (subquery) rather than bulk_update's CASE with a branch per page.
        latest = (
            Revision.objects.filter(
                base_content_type=self.page_type,
                object_id=Cast(models.OuterRef("pk"), models.CharField()),
            )
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )
        Page.objects.filter(pk__in=[page.pk for page in pages]).update(
            latest_revision_id=models.Subquery(latest),
            live_revision_id=models.Subquery(latest),
            latest_revision_created_at=self.now,
        )

    def _index(self, pages, replaced):
        """Search index and reference index (what the admin's "usage" counts read)."""
        if not pages:
            return
        index_objects(CoursePage, pages)

        extract = getattr(ReferenceIndex, "_extract_references_from_object", None)
        if extract is None:  # Wagtail's internals moved: the public, per-page way
            for page in pages:
                ReferenceIndex.create_or_update_for_object(page)
            return
        ReferenceIndex.objects.filter(
            base_content_type=self.page_type, object_id__in=[str(pk) for pk in replaced]
        ).delete()
        ReferenceIndex.objects.bulk_create(
            [
                ReferenceIndex(
                    content_type=self.course_type,
                    base_content_type=self.page_type,
                    object_id=str(page.pk),
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
                for page in pages
                for to_content_type_id, to_object_id, model_path, content_path in set(extract(page))
            ],
            ignore_conflicts=True,
        )


def _session_values(session):
    return tuple(
        getattr(session, f"{name}_id" if name == "institute" else name) for name in SESSION_FIELDS
    )


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
