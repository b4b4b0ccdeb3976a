"""Retire the cached catalogue whenever something it shows changes; keep every institute's
folder of courses (`courses.folders`) in step with the institute, and every session's meetings
in step with its schedule (`courses.meetings`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.cache import bump_catalogue_version
from courses.folders import institute_folder, keep_folder_rules, revoke_editors
from courses.meetings import sync_meetings
from courses.models import Audience, CoursePage, CourseSkill, InstituteCoursesPage, Session
from institutes.models import InstitutePage
from jazari.i18n import is_original, original
from skills.models import Skill, SkillCategory

# Pages include those of the apps above (learning paths: publishing, unpublishing or deleting
# one changes the "Part of" links of its courses' cards); apps with other models the catalogue
# shows connect `bump_catalogue_version` to their own signals. A view restriction added or
# removed on a course or a page above it takes the course out of the catalogue or back in.
# Translations are pages (published) and snippet rows (saved) like their originals, so they
# retire it too: the catalogue shows their text in the reader's language. Instructors don't
# show in it.
SHOWN_IN_CATALOGUE = (
    Page,
    PageViewRestriction,
    Session,
    CourseSkill,
    Skill,
    SkillCategory,
    Audience,
)


def on_change(sender, instance, **kwargs):
    if isinstance(instance, SHOWN_IN_CATALOGUE):
        bump_catalogue_version()


post_save.connect(on_change, dispatch_uid="catalogue-post-save")
post_delete.connect(on_change, dispatch_uid="catalogue-post-delete")
page_published.connect(bump_catalogue_version, dispatch_uid="catalogue-published")
page_unpublished.connect(bump_catalogue_version, dispatch_uid="catalogue-unpublished")
m2m_changed.connect(
    bump_catalogue_version, sender=CoursePage.languages.through, dispatch_uid="catalogue-lang"
)
m2m_changed.connect(
    bump_catalogue_version, sender=CoursePage.audiences.through, dispatch_uid="catalogue-aud"
)


@receiver(pre_save, sender=InstitutePage)
def remember_editors(sender, instance, raw=False, **kwargs):
    stored = InstitutePage.objects.filter(pk=instance.pk).values_list("editors", flat=True)
    instance._stored_editors_id = stored.first() if instance.pk and not raw else None


@receiver(post_save, sender=InstitutePage)
def institute_folder_follows(sender, instance, raw=False, **kwargs):
    """Every institute has its folder of courses, named after it, granted to its editors; a
    group the institute no longer names as its editors loses its grants on the folder."""
    if raw or not is_original(instance):
        return
    folder = institute_folder(instance)
    previous = getattr(instance, "_stored_editors_id", None)
    if folder is not None and previous and previous != instance.editors_id:
        revoke_editors(folder, previous)


@receiver(post_save, sender=InstituteCoursesPage)
def folder_rules_follow(sender, instance, raw=False, **kwargs):
    """A folder made, or its moderation changed by an administrator: permissions and workflow;
    a folder's translation (made when a course is translated) gets its original's."""
    if raw:
        return
    if instance.institute_id is not None:
        keep_folder_rules(original(instance), instance.institute)


@receiver(post_delete, sender=InstitutePage)
def folder_goes_with_its_institute(sender, instance, **kwargs):
    """An institute deleted (it organised no course): its empty folder leaves the tree."""
    for folder in InstituteCoursesPage.objects.filter(institute__isnull=True, numchild=0):
        folder.delete()


@receiver(post_page_move, sender=CoursePage)
def course_follows_its_folder(sender, instance, parent_page_after, **kwargs):
    """A course moved to another institute's folder is organised by that institute."""
    if not is_original(instance):
        return
    course = CoursePage(pk=instance.pk, institute_id=None)
    course.follow_folder(parent_page_after)
    if course.institute_id is not None:
        CoursePage.objects.filter(pk=instance.pk).update(institute_id=course.institute_id)


@receiver(post_save, sender=Session)
def meetings_follow_the_schedule(sender, instance, raw=False, **kwargs):
    """A session saved (its course published, the demo seeded): its meetings follow its
    schedule."""
    if not raw:
        sync_meetings(instance)
