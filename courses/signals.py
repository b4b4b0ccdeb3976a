"""Retire the cached catalogue whenever something it shows changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from courses.cache import bump_catalogue_version
from courses.models import CoursePage, CourseSkill, Session
from skills.models import Skill, SkillCategory

# Pages include those of the apps above (learning paths: publishing, unpublishing or deleting
# one changes the "Part of" links of its courses' cards); apps with other models the catalogue
# shows connect `bump_catalogue_version` to their own signals. A view restriction added or
# removed on a course or a page above it takes the course out of the catalogue or back in.
SHOWN_IN_CATALOGUE = (Page, PageViewRestriction, Session, CourseSkill, Skill, SkillCategory)


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
